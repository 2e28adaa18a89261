package io.tandem.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.jr.ob.JSON;
import io.tandem.bench.broker.BrokerKind;
import io.tandem.bench.scenario.Metric;
import io.tandem.bench.scenario.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The results of a run as JSON and as a Markdown table. */
final class Report {
  /** Compact, nulls kept (a figure that cannot be had), decimals without exponents. */
  private static final JSON JSON_OUT =
      JSON.builder(
              JsonFactory.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build())
          .enable(JSON.Feature.WRITE_NULL_PROPERTIES)
          .build();

  /** What ran, how and when. */
  record Header(
      String date,
      String command,
      Settings settings,
      List<String> brokerJvmOptions,
      long journalBufferTimeoutNs,
      double[] loadStart,
      double[] loadEnd,
      double fdatasyncPerSecondEnd,
      double warmupSeconds,
      double seconds) {}

  private final Header h;
  private final Machine machine;
  private final List<ScenarioResult> results;

  Report(Header header, Machine machine, List<ScenarioResult> results) {
    this.h = header;
    this.machine = machine;
    this.results = results;
  }

  /** Tandem's median over Artemis's, or NaN when either is missing. */
  static double ratio(Stats tandem, Stats artemis) {
    if (tandem == null || artemis == null || artemis.median() == 0) {
      return Double.NaN;
    }
    return tandem.median() / artemis.median();
  }

  /** "ahead" or "behind" for Tandem, or "" when it cannot be said. */
  static String verdict(Metric m, double ratio) {
    if (Double.isNaN(ratio)) {
      return "";
    }
    if (ratio == 1.0) {
      return "even";
    }
    return (ratio > 1.0) == m.higherIsBetter() ? "ahead" : "behind";
  }

  String markdown() {
    StringBuilder b = new StringBuilder();
    b.append("# Tandem and ActiveMQ Artemis, side by side\n\n");
    b.append("- date: ").append(h.date()).append('\n');
    b.append("- command: `").append(h.command()).append("`\n");
    appendRun(b);
    b.append("| # | scenario | figure | Tandem median (min–max) | Artemis median (min–max) |")
        .append(" Tandem/Artemis | Tandem | load before→after |\n");
    b.append("|---|---|---|---|---|---|---|---|\n");
    for (ScenarioResult r : results) {
      for (Metric m : r.scenario.metrics()) {
        Stats t = r.stats(BrokerKind.TANDEM, m);
        Stats a = r.stats(BrokerKind.ARTEMIS, m);
        double ratio = ratio(t, a);
        b.append(
            String.format(
                Locale.ROOT,
                "| %d | %s | %s (%s) | %s | %s | %s | %s | %.2f→%.2f |%n",
                r.scenario.number(),
                cellText(r.scenario.title()),
                cellText(m.label()),
                m.unit(),
                cell(r, BrokerKind.TANDEM, t),
                cell(r, BrokerKind.ARTEMIS, a),
                Double.isNaN(ratio) ? "–" : String.format(Locale.ROOT, "%.2f", ratio),
                verdict(m, ratio),
                r.loadBefore[0],
                r.loadAfter[0]));
      }
    }
    return b.toString();
  }

  /** The run's circumstances: mode, machine, disk, load, JVM options, how costs are read. */
  private void appendRun(StringBuilder b) {
    b.append(
        String.format(
            Locale.ROOT,
            "- mode: %s, %d repetitions per broker, Tandem first in odd repetitions and Artemis"
                + " first in even ones (failover: %d kills each with one message and with a"
                + " backlog of %d); %.0f s in all%n",
            h.settings().quick() ? "quick" : "full",
            h.settings().reps(),
            h.settings().failoverRuns(),
            h.settings().failoverBacklog(),
            h.seconds()));
    b.append(
        String.format(
            Locale.ROOT,
            "- machine: %d cores (%s), %d MB RAM, %s, %s%n",
            machine.cores(),
            machine.cpu(),
            machine.memoryMb(),
            machine.os(),
            machine.java()));
    b.append(
        String.format(
            Locale.ROOT,
            "- disk: %.0f fdatasync/s for 1 KB appends (%.3f ms each) at the start of this run,"
                + " %.0f/s (%.3f ms) at its end%n",
            machine.fdatasyncPerSecond(),
            1000 / machine.fdatasyncPerSecond(),
            h.fdatasyncPerSecondEnd(),
            1000 / h.fdatasyncPerSecondEnd()));
    b.append("- load average (1, 5, 15 min): ")
        .append(Machine.formatLoad(h.loadStart()))
        .append(" at start, ")
        .append(Machine.formatLoad(h.loadEnd()))
        .append(" at end\n");
    b.append("- both brokers: `")
        .append(String.join(" ", h.brokerJvmOptions()))
        .append("`, each in its own JVM; clients: Qpid JMS in the bench JVM\n");
    b.append(
        h.warmupSeconds() > 0
            ? String.format(
                Locale.ROOT,
                "- client warm-up: %.0f s of every kind of send and receive on each broker before"
                    + " the first scenario%n",
                h.warmupSeconds())
            : "- client warm-up: none (`--no-warmup`): the first broker measured also warms the"
                + " client\n");
    b.append(
        String.format(
            Locale.ROOT,
            "- cost per message: broker and client CPU (utime + stime from /proc/PID/stat, %d"
                + " ticks/s) and broker heap allocation (HotSpot perf data, eden accounting) over"
                + " each measured window%n",
            machine.clockTicksPerSecond()));
    b.append("- Artemis journal buffer timeout: ")
        .append(h.journalBufferTimeoutNs())
        .append(" ns (the disk's sync time, as `artemis create` tunes it)\n\n");
  }

  private static String cell(ScenarioResult r, BrokerKind kind, Stats s) {
    if (s == null) {
      return cellText(r.missingReason(kind));
    }
    if (s.n() == 1) {
      return number(s.median());
    }
    return number(s.median()) + " (" + number(s.min()) + "–" + number(s.max()) + ")";
  }

  /** Text that cannot end a Markdown table cell or row. */
  private static String cellText(String s) {
    return s.replace("|", "\\|").replace('\n', ' ').trim();
  }

  static String number(double v) {
    double a = Math.abs(v);
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    if (a >= 1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }

  /** Tandem's advantage on every figure, as an SVG bar chart. */
  String advantagesSvg() {
    return Charts.advantages(
        Charts.advantages(results),
        "Tandem against ActiveMQ Artemis, medians of " + h.date() + " (" + mode() + ")");
  }

  /** Scenario 6's latency percentiles of both brokers, as an SVG bar chart. */
  String latencySvg() {
    return Charts.latency(
        Charts.latencies(results),
        "Latency at fixed rates (scenario 6), medians of " + h.date() + " (" + mode() + ")");
  }

  private String mode() {
    return h.settings().quick() ? "quick run" : h.settings().reps() + " repetitions";
  }

  /** The results as one JSON object, numbers rounded to six significant digits. */
  String json() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("date", h.date());
    root.put("command", h.command());
    root.put("mode", h.settings().quick() ? "quick" : "full");
    root.put("reps", h.settings().reps());
    root.put("failover_runs", h.settings().failoverRuns());
    root.put("failover_backlog", h.settings().failoverBacklog());
    root.put("seconds", figure(h.seconds()));
    root.put("order", "alternating: Tandem first in odd repetitions, Artemis first in even ones");
    root.put("warmup_seconds", figure(h.warmupSeconds()));
    root.put("machine", machineJson());
    root.put("broker_jvm_options", h.brokerJvmOptions());
    root.put("artemis_journal_buffer_timeout_ns", h.journalBufferTimeoutNs());
    root.put("scenarios", results.stream().map(Report::scenarioJson).toList());
    try {
      return JSON_OUT.asString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Map<String, Object> machineJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", machine.cores());
    m.put("cpu", machine.cpu());
    m.put("memory_mb", machine.memoryMb());
    m.put("os", machine.os());
    m.put("java", machine.java());
    m.put("fdatasync_per_second", figure(machine.fdatasyncPerSecond()));
    m.put("clock_ticks_per_second", machine.clockTicksPerSecond());
    m.put("fdatasync_per_second_end", figure(h.fdatasyncPerSecondEnd()));
    m.put("load_start", figures(h.loadStart()));
    m.put("load_end", figures(h.loadEnd()));
    return m;
  }

  private static Map<String, Object> scenarioJson(ScenarioResult r) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("number", r.scenario.number());
    s.put("name", r.scenario.name());
    s.put("title", r.scenario.title());
    s.put("seconds", figure(r.seconds));
    s.put("load_before", figures(r.loadBefore));
    s.put("load_after", figures(r.loadAfter));
    s.put("metrics", r.scenario.metrics().stream().map(m -> metricJson(r, m)).toList());
    return s;
  }

  private static Map<String, Object> metricJson(ScenarioResult r, Metric m) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("key", m.key());
    j.put("label", m.label());
    j.put("unit", m.unit());
    j.put("higher_is_better", m.higherIsBetter());
    for (BrokerKind k : BrokerKind.values()) {
      Map<String, Object> b = new LinkedHashMap<>();
      Stats s = r.stats(k, m);
      if (s == null) {
        b.put("missing", r.missingReason(k));
      } else {
        b.put("values", r.values(k, m).stream().map(Report::figure).toList());
        b.put("median", figure(s.median()));
        b.put("min", figure(s.min()));
        b.put("max", figure(s.max()));
      }
      j.put(k.key(), b);
    }
    j.put("ratio", figure(ratio(r.stats(BrokerKind.TANDEM, m), r.stats(BrokerKind.ARTEMIS, m))));
    return j;
  }

  /** Six significant digits, written plain (no exponent); null for NaN and infinities. */
  private static BigDecimal figure(double v) {
    return Double.isFinite(v)
        ? BigDecimal.valueOf(v).round(new MathContext(6)).stripTrailingZeros()
        : null;
  }

  private static List<BigDecimal> figures(double[] values) {
    return Arrays.stream(values).mapToObj(Report::figure).toList();
  }
}
