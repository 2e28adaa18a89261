package io.tandem.bench;

import io.tandem.bench.broker.BrokerKind;
import io.tandem.bench.scenario.Metric;
import io.tandem.bench.scenario.Settings;
import java.util.List;
import java.util.Locale;

/** The results of a run as JSON and as a Markdown table. */
final class Report {
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
    b.append(
        String.format(
            Locale.ROOT,
            "- mode: %s, %d repetitions per broker alternating Tandem, Artemis (failover: %d"
                + " kills each); %.0f s in all%n",
            h.settings().quick() ? "quick" : "full",
            h.settings().reps(),
            h.settings().failoverRuns(),
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
    b.append("- Artemis journal buffer timeout: ")
        .append(h.journalBufferTimeoutNs())
        .append(" ns (the disk's sync time, as `artemis create` tunes it)\n\n");
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

  String json() {
    Json j = new Json();
    j.open('{');
    j.field("date", h.date()).field("command", h.command());
    j.field("mode", h.settings().quick() ? "quick" : "full").field("reps", h.settings().reps());
    j.field("seconds", h.seconds());
    j.key("machine").open('{');
    j.field("cores", machine.cores()).field("cpu", machine.cpu());
    j.field("memory_mb", machine.memoryMb())
        .field("os", machine.os())
        .field("java", machine.java());
    j.field("fdatasync_per_second", machine.fdatasyncPerSecond());
    j.field("fdatasync_per_second_end", h.fdatasyncPerSecondEnd());
    j.key("load_start").numbers(h.loadStart()).key("load_end").numbers(h.loadEnd());
    j.close('}');
    j.key("broker_jvm_options").strings(h.brokerJvmOptions());
    j.field("artemis_journal_buffer_timeout_ns", h.journalBufferTimeoutNs());
    j.key("scenarios").open('[');
    for (ScenarioResult r : results) {
      scenario(j, r);
    }
    j.close(']');
    j.close('}');
    return j.toString();
  }

  private static void scenario(Json j, ScenarioResult r) {
    j.open('{');
    j.field("number", r.scenario.number()).field("name", r.scenario.name());
    j.field("title", r.scenario.title()).field("seconds", r.seconds);
    j.key("load_before").numbers(r.loadBefore).key("load_after").numbers(r.loadAfter);
    j.key("metrics").open('[');
    for (Metric m : r.scenario.metrics()) {
      j.open('{');
      j.field("key", m.key()).field("label", m.label()).field("unit", m.unit());
      j.field("higher_is_better", m.higherIsBetter());
      for (BrokerKind k : BrokerKind.values()) {
        j.key(k.key()).open('{');
        Stats s = r.stats(k, m);
        if (s == null) {
          j.field("missing", r.missingReason(k));
        } else {
          j.key("values").numbers(r.values(k, m).stream().mapToDouble(d -> d).toArray());
          j.field("median", s.median()).field("min", s.min()).field("max", s.max());
        }
        j.close('}');
      }
      double ratio = ratio(r.stats(BrokerKind.TANDEM, m), r.stats(BrokerKind.ARTEMIS, m));
      j.field("ratio", ratio);
      j.close('}');
    }
    j.close(']');
    j.close('}');
  }
}
