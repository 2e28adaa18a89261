package io.tandem.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tandem.testing.JsonTree;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code bin/tandem-bench all --quick} as users do and checks that it produced well-formed
 * results for both brokers in every scenario. Speed is not asserted: this only keeps the command
 * working.
 */
class BenchQuickIT {
  private static final Path HOME = Path.of("..").toAbsolutePath().normalize();

  /** A guard against a hung run, not a speed goal: about 150 s on a busy 2-core machine. */
  private static final long LIMIT_SECONDS = 300;

  /** Measured windows of scenarios 1 to 10: drain has 3 (fill and two drains), latency 2, ... */
  private static final long[] COST_WINDOWS = {1, 1, 1, 1, 3, 2, 2, 0, 0, 0};

  private static final List<String> COST_SUFFIXES =
      List.of("_client_cpu", "_jit_cpu", "_alloc", "_alloc_msg", "_cpu");

  @TempDir Path results;

  @Test
  void shouldProduceWellFormedResultsForBothBrokersInEveryScenario() throws Exception {
    Path log = results.resolve("bench.log");
    int status = runQuick(log);
    String output = Files.readString(log);
    assertEquals(0, status, output);

    JsonTree root = JsonTree.parse(Files.readString(results.resolve("latest.json")));
    assertEquals("quick", root.string("mode"));
    assertEquals(2000, root.number("failover_backlog"), output);
    assertTrue(root.decimal("machine", "fdatasync_per_second") > 0, output);
    assertTrue(root.number("machine", "cores") >= 1, output);
    assertTrue(root.number("machine", "clock_ticks_per_second") > 0, output);
    assertTrue(root.decimal("warmup_seconds") > 0, output);
    List<JsonTree> scenarios = root.list("scenarios");
    assertEquals(10, scenarios.size(), output);
    for (int n = 1; n <= 10; n++) {
      JsonTree s = scenarios.get(n - 1);
      assertEquals(n, s.number("number"));
      for (JsonTree metric : s.list("metrics")) {
        checkBroker(s, metric, "tandem");
        checkBroker(s, metric, "artemis");
      }
      assertEquals(
          COST_WINDOWS[n - 1], costWindows(s), s.string("name") + ": measured windows with costs");
    }
    for (String chart : List.of("latest-ratios.svg", "latest-latency.svg")) {
      String svg = Files.readString(results.resolve(chart));
      javax.xml.parsers.DocumentBuilderFactory.newInstance()
          .newDocumentBuilder()
          .parse(new java.io.ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
      assertTrue(svg.contains("<rect"), chart + ": " + svg);
    }
    String markdown = Files.readString(results.resolve("latest.md"));
    assertTrue(markdown.contains("| # | scenario | figure | Tandem median (min–max) |"), markdown);
    assertTrue(markdown.contains("fdatasync/s"), markdown);
    assertTrue(markdown.contains("| broker CPU per message sent (µs/msg) |"), markdown);
    assertTrue(markdown.contains("| broker heap allocation per delivery, durable (bytes/msg) |"));
  }

  /**
   * Every measured window's five cost figures (broker CPU and its JIT part, client CPU, broker
   * allocation rate and per message), present once per window.
   */
  private static long costWindows(JsonTree s) {
    List<String> kinds = s.list("metrics").stream().map(m -> costKind(m.string("key"))).toList();
    long windows = kinds.stream().filter("_client_cpu"::equals).count();
    for (String suffix : COST_SUFFIXES) {
      assertEquals(windows, kinds.stream().filter(suffix::equals).count(), suffix);
    }
    return windows;
  }

  /** Which cost figure the key names ("_cpu", "_client_cpu", ...), or "" for other figures. */
  private static String costKind(String key) {
    return COST_SUFFIXES.stream().filter(key::endsWith).findFirst().orElse("");
  }

  /** A cost figure is a CPU time or an allocation measured over a loaded window: never zero. */
  private static boolean isCost(String key) {
    return !costKind(key).isEmpty();
  }

  /** A figure, or (Tandem's failover only, while FT is not in this build) a stated reason. */
  private static void checkBroker(JsonTree s, JsonTree metric, String broker) {
    JsonTree b = metric.at(broker);
    String where = s.string("name") + "/" + metric.string("key") + "/" + broker;
    if (b.has("median")) {
      double median = b.decimal("median");
      assertTrue(Double.isFinite(median) && median >= 0, where + ": " + median);
      // the broker's JIT may have finished compiling before a window: zero is a fair answer
      if (isCost(metric.string("key")) && !metric.string("key").endsWith("_jit_cpu")) {
        assertTrue(b.decimal("min") > 0, where + " must be positive: " + b.decimal("min"));
      }
      assertTrue(b.decimal("min") <= median && median <= b.decimal("max"), where);
      assertTrue(!b.list("values").isEmpty(), where);
      return;
    }
    String missing = String.valueOf(b.get("missing"));
    if (!(broker.equals("tandem")
        && s.string("name").equals("failover")
        && missing.startsWith("unavailable: hot-warm FT is not in this build"))) {
      fail(where + " has no figure: " + missing);
    }
  }

  private int runQuick(Path log) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                HOME.resolve("bin/tandem-bench").toString(),
                "all",
                "--quick",
                "--results",
                results.toString())
            .directory(HOME.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Process p = pb.start();
    try {
      if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
        fail("bin/tandem-bench all --quick took over " + LIMIT_SECONDS + " s:\n" + tail(log));
      }
      return p.exitValue();
    } finally {
      stop(p);
    }
  }

  /** SIGTERM first, so the bench stops its brokers; then SIGKILL for anything left. */
  private static void stop(Process p) throws InterruptedException {
    List<ProcessHandle> children = p.descendants().toList();
    if (p.isAlive()) {
      p.destroy();
      p.waitFor(60, TimeUnit.SECONDS);
    }
    for (ProcessHandle h : children) {
      h.destroyForcibly();
    }
    p.destroyForcibly();
  }

  private static String tail(Path log) throws java.io.IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
