package io.tandem.bench;

import io.tandem.bench.broker.BrokerKind;
import io.tandem.bench.scenario.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The run as two SVG pictures, beside its Markdown and JSON: how many times better Tandem did than
 * Artemis on every figure both brokers produced ({@link #advantages}), and the latency percentiles
 * of scenario 6 for both brokers ({@link #latency}). Plain SVG 1.1 with the numbers written on the
 * bars, so a browser, a Markdown viewer or a printout shows it without scripts or fonts.
 */
final class Charts {
  private static final int WIDTH = 960;
  private static final int ROW = 22;
  private static final int TOP = 64;
  private static final int LABEL = 430;
  private static final String AHEAD = "#2e7d32";
  private static final String BEHIND = "#c62828";
  private static final String TANDEM = "#1565c0";
  private static final String ARTEMIS = "#9e9e9e";

  private Charts() {}

  /** One figure both brokers produced: its label and Tandem's advantage (above 1: better). */
  record Advantage(String label, double times) {}

  /** One latency figure: its label and both brokers' medians in milliseconds. */
  record Latency(String label, double tandem, double artemis) {}

  /**
   * Tandem's advantage on every figure with a median for both brokers: Tandem/Artemis where higher
   * is better, Artemis/Tandem where lower is, so that above 1 always means Tandem did better.
   */
  static List<Advantage> advantages(List<ScenarioResult> results) {
    List<Advantage> out = new ArrayList<>();
    for (ScenarioResult r : results) {
      for (Metric m : r.scenario.metrics()) {
        Stats t = r.stats(BrokerKind.TANDEM, m);
        Stats a = r.stats(BrokerKind.ARTEMIS, m);
        if (t == null || a == null || t.median() <= 0 || a.median() <= 0) {
          continue;
        }
        double times = m.higherIsBetter() ? t.median() / a.median() : a.median() / t.median();
        out.add(
            new Advantage(r.scenario.number() + ". " + m.label() + " (" + m.unit() + ")", times));
      }
    }
    return out;
  }

  /** Scenario 6's percentiles with a median for both brokers, in its metric order. */
  static List<Latency> latencies(List<ScenarioResult> results) {
    List<Latency> out = new ArrayList<>();
    for (ScenarioResult r : results) {
      if (!r.scenario.name().equals("latency")) {
        continue;
      }
      for (Metric m : r.scenario.metrics()) {
        Stats t = r.stats(BrokerKind.TANDEM, m);
        Stats a = r.stats(BrokerKind.ARTEMIS, m);
        if (m.unit().equals("ms") && t != null && a != null) {
          out.add(new Latency(m.label(), t.median(), a.median()));
        }
      }
    }
    return out;
  }

  /** A bar per figure on a logarithmic axis around 1×: right of it Tandem did better. */
  static String advantages(List<Advantage> figures, String title) {
    double span = 2;
    for (Advantage f : figures) {
      span = Math.max(span, Math.max(f.times(), 1 / f.times()));
    }
    double decades = Math.log10(span);
    int height = TOP + ROW * Math.max(1, figures.size()) + 40;
    int plot = WIDTH - LABEL - 90;
    int zero = LABEL + plot / 2;
    StringBuilder b = start(height, title);
    text(b, LABEL + 4, TOP - 12, "start", "Artemis better ←   1×   → Tandem better (log scale)");
    line(b, zero, TOP - 4, zero, height - 36, "#000");
    int y = TOP;
    for (Advantage f : figures) {
      double x = Math.log10(f.times()) / decades * (plot / 2.0);
      int from = (int) Math.round(Math.min(zero, zero + x));
      int w = (int) Math.max(1, Math.round(Math.abs(x)));
      rect(b, from, y + 3, w, ROW - 6, f.times() >= 1 ? AHEAD : BEHIND);
      text(b, LABEL - 8, y + ROW - 7, "end", f.label());
      int at = f.times() >= 1 ? from + w + 4 : from - 4;
      text(b, at, y + ROW - 7, f.times() >= 1 ? "start" : "end", times(f.times()));
      y += ROW;
    }
    if (figures.isEmpty()) {
      text(b, LABEL, TOP + 14, "start", "no figure with a value for both brokers");
    }
    return end(b);
  }

  /** Two bars per percentile (Tandem, Artemis) on a logarithmic millisecond axis. */
  static String latency(List<Latency> figures, String title) {
    double max = 1;
    double min = 1;
    for (Latency f : figures) {
      max = Math.max(max, Math.max(f.tandem(), f.artemis()));
      min = Math.min(min, Math.max(0.01, Math.min(f.tandem(), f.artemis())));
    }
    double low = Math.floor(Math.log10(min));
    double high = Math.ceil(Math.log10(max));
    if (high <= low) {
      high = low + 1;
    }
    int height = TOP + 2 * ROW * Math.max(1, figures.size()) + 40;
    int plot = WIDTH - LABEL - 90;
    StringBuilder b = start(height, title);
    rect(b, LABEL, TOP - 26, 12, 12, TANDEM);
    text(b, LABEL + 16, TOP - 16, "start", "Tandem");
    rect(b, LABEL + 90, TOP - 26, 12, 12, ARTEMIS);
    text(b, LABEL + 106, TOP - 16, "start", "Artemis   (ms, log scale, shorter is better)");
    int y = TOP;
    for (Latency f : figures) {
      text(b, LABEL - 8, y + ROW + 4, "end", f.label());
      y = latencyBar(b, y, f.tandem(), TANDEM, low, high, plot);
      y = latencyBar(b, y, f.artemis(), ARTEMIS, low, high, plot);
    }
    if (figures.isEmpty()) {
      text(b, LABEL, TOP + 14, "start", "no latency figure with a value for both brokers");
    }
    return end(b);
  }

  private static int latencyBar(
      StringBuilder b, int y, double ms, String colour, double low, double high, int plot) {
    double at = (Math.log10(Math.max(ms, Math.pow(10, low))) - low) / (high - low);
    int w = (int) Math.max(1, Math.round(at * plot));
    rect(b, LABEL, y + 3, w, ROW - 6, colour);
    text(b, LABEL + w + 4, y + ROW - 7, "start", Report.number(ms) + " ms");
    return y + ROW;
  }

  private static String times(double t) {
    return String.format(Locale.ROOT, t >= 10 ? "%.0f×" : "%.2f×", t);
  }

  private static StringBuilder start(int height, String title) {
    StringBuilder b = new StringBuilder();
    b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    b.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0"
                + " %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
            WIDTH,
            height,
            WIDTH,
            height));
    b.append(String.format(Locale.ROOT, "<title>%s</title>%n", escape(title)));
    rect(b, 0, 0, WIDTH, height, "#fff");
    b.append(
        String.format(
            Locale.ROOT,
            "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
            escape(title)));
    return b;
  }

  private static String end(StringBuilder b) {
    return b.append("</svg>\n").toString();
  }

  private static void rect(StringBuilder b, int x, int y, int w, int h, String fill) {
    b.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n",
            x,
            y,
            w,
            h,
            fill));
  }

  private static void line(StringBuilder b, int x1, int y1, int x2, int y2, String stroke) {
    b.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\"/>%n",
            x1,
            y1,
            x2,
            y2,
            stroke));
  }

  private static void text(StringBuilder b, int x, int y, String anchor, String s) {
    b.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\">%s</text>%n",
            x,
            y,
            anchor,
            escape(s)));
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
