package io.tandem.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.bench.broker.BrokerKind;
import io.tandem.bench.scenario.Lab;
import io.tandem.bench.scenario.Metric;
import io.tandem.bench.scenario.Scenario;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class ChartsTest {
  private static final Metric RATE = new Metric("rate", "throughput", "msg/s", true);
  private static final Metric TIME = new Metric("time", "startup", "ms", false);
  private static final Metric P50 = new Metric("p50_1000", "p50 at 1,000 msg/s", "ms", false);
  private static final Metric P99 = new Metric("p99_1000", "p99 at 1,000 msg/s", "ms", false);

  private record Named(int number, String name, List<Metric> metrics) implements Scenario {
    @Override
    public String title() {
      return name;
    }

    @Override
    public Map<String, Double> run(BrokerKind kind, int rep, Lab lab) {
      throw new UnsupportedOperationException("figures are set by the test");
    }
  }

  private static ScenarioResult result(
      Scenario s, Map<String, Double> tandem, Map<String, Double> artemis) {
    ScenarioResult r = new ScenarioResult(s);
    r.reps.get(BrokerKind.TANDEM).add(tandem);
    r.reps.get(BrokerKind.ARTEMIS).add(artemis);
    return r;
  }

  @Test
  void shouldPutTandemAheadWhenItIsFasterOrQuickerAndLeaveOutFiguresOneBrokerLacks() {
    ScenarioResult r =
        result(
            new Named(1, "fixed", List.of(RATE, TIME, P50)),
            Map.of("rate", 300.0, "time", 40.0),
            Map.of("rate", 100.0, "time", 10.0, "p50_1000", 3.0));
    List<Charts.Advantage> a = Charts.advantages(List.of(r));
    assertEquals(2, a.size(), "p50 has no Tandem figure");
    assertEquals("1. throughput (msg/s)", a.get(0).label());
    assertEquals(3.0, a.get(0).times(), 1e-9, "three times the throughput");
    assertEquals(0.25, a.get(1).times(), 1e-9, "four times the startup time: a quarter as good");
  }

  @Test
  void shouldDrawOneBarPerFigureAheadInGreenBehindInRedWithItsValue() throws Exception {
    String svg =
        Charts.advantages(
            List.of(new Charts.Advantage("a <b> & c", 3.0), new Charts.Advantage("d", 0.25)),
            "title");
    Document doc = parse(svg);
    NodeList rects = doc.getElementsByTagName("rect");
    // the background, then one bar per figure
    assertEquals(3, rects.getLength());
    assertEquals("#2e7d32", rects.item(1).getAttributes().getNamedItem("fill").getNodeValue());
    assertEquals("#c62828", rects.item(2).getAttributes().getNamedItem("fill").getNodeValue());
    int zero = 430 + (960 - 430 - 90) / 2;
    int aheadX = Integer.parseInt(attr(rects.item(1), "x"));
    int behindX = Integer.parseInt(attr(rects.item(2), "x"));
    int behindW = Integer.parseInt(attr(rects.item(2), "width"));
    assertEquals(zero, aheadX, "ahead starts at 1x and goes right");
    assertEquals(zero, behindX + behindW, "behind ends at 1x");
    String text = doc.getDocumentElement().getTextContent();
    assertTrue(text.contains("a <b> & c"), text);
    assertTrue(text.contains("3.00×") && text.contains("0.25×"), text);
  }

  @Test
  void shouldDrawBothBrokersPercentilesOnlyFromTheLatencyScenario() throws Exception {
    ScenarioResult latency =
        result(
            new Named(6, "latency", List.of(P50, P99)),
            Map.of("p50_1000", 2.0, "p99_1000", 40.0),
            Map.of("p50_1000", 4.0, "p99_1000", 80.0));
    ScenarioResult other =
        result(new Named(1, "fixed", List.of(TIME)), Map.of("time", 1.0), Map.of("time", 2.0));
    List<Charts.Latency> l = Charts.latencies(List.of(other, latency));
    assertEquals(
        List.of(
            new Charts.Latency("p50 at 1,000 msg/s", 2.0, 4.0),
            new Charts.Latency("p99 at 1,000 msg/s", 40.0, 80.0)),
        l);
    Document doc = parse(Charts.latency(l, "latency"));
    // background, two legend squares, two bars per percentile
    assertEquals(1 + 2 + 4, doc.getElementsByTagName("rect").getLength());
    String text = doc.getDocumentElement().getTextContent();
    assertTrue(text.contains("40.0 ms") && text.contains("80.0 ms"), text);
  }

  @Test
  void shouldSayWhenNothingCanBeDrawn() throws Exception {
    String text =
        parse(Charts.advantages(List.of(), "empty")).getDocumentElement().getTextContent();
    assertTrue(text.contains("no figure with a value for both brokers"), text);
  }

  private static String attr(org.w3c.dom.Node n, String name) {
    return n.getAttributes().getNamedItem(name).getNodeValue();
  }

  private static Document parse(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }
}
