package io.tandem.bench;

import io.tandem.bench.broker.BrokerKind;
import io.tandem.bench.scenario.Lab;
import io.tandem.bench.scenario.Scenario;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs a scenario on both brokers, the starting broker alternating with each repetition (A B, B A,
 * A B, ...), so that neither always runs on a machine the other has just left (page cache, disk,
 * the client's heap). A broker that cannot run the scenario is marked unavailable; one that fails
 * twice is not tried again in this scenario.
 */
final class Runner {
  private static final int MAX_FAILURES = 2;

  private final Lab lab;
  private final PrintStream log;

  Runner(Lab lab, PrintStream log) {
    this.lab = lab;
    this.log = log;
  }

  ScenarioResult run(Scenario s) {
    ScenarioResult r = new ScenarioResult(s);
    r.loadBefore = Machine.loadAverage();
    long t0 = System.nanoTime();
    int reps = s.reps(lab.settings());
    try {
      for (int rep = 0; rep < reps; rep++) {
        for (BrokerKind kind : order(rep)) {
          if (r.unavailable.containsKey(kind) || r.errors.get(kind).size() >= MAX_FAILURES) {
            continue;
          }
          runOnce(s, kind, rep, reps, r);
        }
      }
    } finally {
      s.finish(lab);
    }
    r.seconds = (System.nanoTime() - t0) / 1e9;
    r.loadAfter = Machine.loadAverage();
    return r;
  }

  /** Tandem first in the first repetition and every other one after it, Artemis first between. */
  static List<BrokerKind> order(int rep) {
    List<BrokerKind> kinds = new ArrayList<>(List.of(BrokerKind.values()));
    if (rep % 2 == 1) {
      Collections.reverse(kinds);
    }
    return kinds;
  }

  private void runOnce(Scenario s, BrokerKind kind, int rep, int reps, ScenarioResult r) {
    String what =
        String.format(
            Locale.ROOT, "[%d %s] rep %d/%d %s", s.number(), s.name(), rep + 1, reps, kind.label());
    try {
      Map<String, Double> values = s.run(kind, rep, lab);
      r.reps.get(kind).add(values);
      log.println(what + ": " + format(values));
    } catch (BenchException e) {
      if (e.category() == BenchException.Category.UNAVAILABLE) {
        r.unavailable.put(kind, e.getMessage());
        log.println(what + ": UNAVAILABLE " + e.getMessage());
      } else {
        r.errors.get(kind).add(e.getMessage());
        log.println(what + ": " + e.category() + " " + e.getMessage());
      }
    } catch (RuntimeException e) {
      r.errors.get(kind).add(e.toString());
      log.println(what + ": FAILED " + e);
      e.printStackTrace(log);
    }
  }

  private static String format(Map<String, Double> values) {
    return values.entrySet().stream()
        .map(e -> e.getKey() + "=" + String.format(Locale.ROOT, "%.3f", e.getValue()))
        .collect(Collectors.joining(" "));
  }
}
