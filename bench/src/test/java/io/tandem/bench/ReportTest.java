package io.tandem.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.bench.broker.BrokerKind;
import io.tandem.bench.scenario.Lab;
import io.tandem.bench.scenario.Metric;
import io.tandem.bench.scenario.Scenario;
import io.tandem.bench.scenario.Settings;
import io.tandem.testing.JsonTree;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
  private static final Metric RATE = new Metric("rate", "throughput", "msg/s", true);
  private static final Metric TIME = new Metric("time", "startup", "ms", false);

  /** A scenario whose figures the test sets by hand. */
  private static final class Fixed implements Scenario {
    @Override
    public int number() {
      return 1;
    }

    @Override
    public String name() {
      return "fixed";
    }

    @Override
    public String title() {
      return "a \"quoted\" | piped title";
    }

    @Override
    public List<Metric> metrics() {
      return List.of(RATE, TIME);
    }

    @Override
    public Map<String, Double> run(BrokerKind kind, int rep, Lab lab) {
      throw new UnsupportedOperationException("figures are set by the test");
    }
  }

  private static ScenarioResult result() {
    ScenarioResult r = new ScenarioResult(new Fixed());
    r.reps.get(BrokerKind.TANDEM).add(Map.of("rate", 300.0, "time", 10.0));
    r.reps.get(BrokerKind.TANDEM).add(Map.of("rate", 100.0, "time", 30.0));
    r.reps.get(BrokerKind.TANDEM).add(Map.of("rate", 200.0));
    r.reps.get(BrokerKind.ARTEMIS).add(Map.of("rate", 100.0, "time", 40.0));
    r.loadBefore = new double[] {1, 2, 3};
    r.loadAfter = new double[] {4, 5, 6};
    return r;
  }

  private static Report report(ScenarioResult r) {
    Report.Header h =
        new Report.Header(
            "2026-11-22T05:00:00Z",
            "bin/tandem-bench fixed",
            Settings.quick(1),
            List.of("-Xmx1g"),
            1000,
            new double[] {1, 1, 1},
            new double[] {2, 2, 2},
            500,
            3.5,
            12.5);
    Machine m = new Machine(2, "cpu", 1024, "Linux", "Java 17", 700, 100);
    return new Report(h, m, List.of(r));
  }

  @Test
  void shouldTakeTheMedianOfOddAndEvenCounts() {
    assertEquals(2.0, Stats.of(List.of(3.0, 1.0, 2.0)).median());
    assertEquals(2.5, Stats.of(List.of(4.0, 1.0, 2.0, 3.0)).median());
    Stats s = Stats.of(List.of(5.0, 1.0, 9.0));
    assertEquals(1.0, s.min());
    assertEquals(9.0, s.max());
  }

  @Test
  void shouldCallTheBetterSideByTheMetricsDirection() {
    assertEquals("ahead", Report.verdict(RATE, 2.0));
    assertEquals("behind", Report.verdict(RATE, 0.5));
    assertEquals("ahead", Report.verdict(TIME, 0.5));
    assertEquals("behind", Report.verdict(TIME, 2.0));
    assertEquals("", Report.verdict(TIME, Double.NaN));
  }

  @Test
  void shouldUseOnlyTheRepetitionsThatProducedAFigure() {
    ScenarioResult r = result();
    assertEquals(2, r.values(BrokerKind.TANDEM, TIME).size());
    assertEquals(20.0, r.stats(BrokerKind.TANDEM, TIME).median());
    assertEquals(
        2.0, Report.ratio(r.stats(BrokerKind.TANDEM, RATE), r.stats(BrokerKind.ARTEMIS, RATE)));
  }

  @Test
  void shouldWriteJsonThatParsesWithMissingFiguresExplained() {
    ScenarioResult r = result();
    r.reps.get(BrokerKind.ARTEMIS).clear();
    r.unavailable.put(BrokerKind.ARTEMIS, "not in this build: \"x\"\n");
    JsonTree root = JsonTree.parse(report(r).json());
    JsonTree rate = root.at("scenarios", "0", "metrics", "0");
    assertEquals(200.0, rate.decimal("tandem", "median"));
    assertEquals(
        List.of(300.0, 100.0, 200.0),
        rate.list("tandem", "values").stream().map(v -> v.decimal()).toList());
    assertEquals("unavailable: not in this build: \"x\"\n", rate.string("artemis", "missing"));
    assertTrue(rate.has("ratio"), rate.toString());
    assertNull(rate.get("ratio"));
    assertEquals(500.0, root.decimal("machine", "fdatasync_per_second_end"));
    assertEquals(12.5, root.decimal("seconds"));
    assertEquals(1, root.number("scenarios", "0", "number"));
    assertEquals(100, root.number("machine", "clock_ticks_per_second"));
    assertEquals(3.5, root.decimal("warmup_seconds"));
  }

  @Test
  void shouldWriteFiguresRoundedToSixDigitsWithoutExponents() {
    ScenarioResult r = result();
    r.reps.get(BrokerKind.TANDEM).clear();
    r.reps.get(BrokerKind.TANDEM).add(Map.of("rate", 1234567.0, "time", 0.000012345678));
    String json = report(r).json();
    assertTrue(json.contains("\"values\":[1234570]"), json);
    assertTrue(json.contains("\"values\":[0.0000123457]"), json);
  }

  @Test
  void shouldWriteOneMarkdownRowPerFigureWithoutBreakingTheTable() {
    String md = report(result()).markdown();
    assertTrue(md.contains("| 1 | a \"quoted\" \\| piped title | throughput (msg/s) |"), md);
    assertTrue(md.contains("| 200 (100–300) | 100 | 2.00 | ahead |"), md);
    assertTrue(md.contains("| 20.0 (10.0–30.0) | 40.0 | 0.50 | ahead |"), md);
    assertTrue(md.contains("- client warm-up: 4 s of every kind of send"), md);
    assertTrue(md.contains("/proc/PID/stat, 100 ticks/s"), md);
  }
}
