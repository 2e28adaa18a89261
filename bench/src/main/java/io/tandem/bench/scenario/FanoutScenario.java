package io.tandem.bench.scenario;

import io.tandem.bench.BenchException;
import io.tandem.bench.broker.BrokerKind;
import io.tandem.bench.broker.BrokerProcess;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 7: one publisher (asynchronous PERSISTENT sends, 1,000 unacknowledged at most) to a
 * topic with 10 AUTO_ACKNOWLEDGE subscribers, each on its own connection; deliveries per second
 * summed over the subscribers. Once with non-durable and once with durable subscriptions.
 */
final class FanoutScenario implements Scenario {
  private static final int SUBSCRIBERS = 10;

  @Override
  public int number() {
    return 7;
  }

  @Override
  public String name() {
    return "fanout";
  }

  @Override
  public String title() {
    return "1 topic, " + SUBSCRIBERS + " subscribers, PERSISTENT publisher";
  }

  @Override
  public List<Metric> metrics() {
    List<Metric> m = new ArrayList<>();
    m.add(new Metric("plain", "deliveries, non-durable subscribers", "msg/s", true));
    m.addAll(CostSpan.metrics("plain", "delivery", "non-durable"));
    m.add(new Metric("durable", "deliveries, durable subscribers", "msg/s", true));
    m.addAll(CostSpan.metrics("durable", "delivery", "durable"));
    return m;
  }

  @Override
  public Map<String, Double> run(BrokerKind kind, int rep, Lab lab) {
    BrokerProcess b = lab.start(kind, name());
    try {
      Map<String, Double> out = new LinkedHashMap<>();
      Map<String, Double> costs = new LinkedHashMap<>();
      out.put("plain", measure(b, "plain", false, lab.settings(), costs));
      out.put("durable", measure(b, "durable", true, lab.settings(), costs));
      out.putAll(costs);
      return out;
    } finally {
      Lab.stop(b);
    }
  }

  private static double measure(
      BrokerProcess b, String kind, boolean durable, Settings settings, Map<String, Double> costs) {
    String url = b.amqpUrl();
    String topic = "bench.fanout." + kind;
    List<Connection> connections = new ArrayList<>();
    AtomicLong deliveries = new AtomicLong();
    try {
      for (int i = 0; i < SUBSCRIBERS; i++) {
        Connection c = Jms.connect(url, durable ? topic + ".sub" + i : null);
        connections.add(c);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Topic t = s.createTopic(topic);
        MessageConsumer consumer =
            durable ? s.createDurableSubscriber(t, "bench") : s.createConsumer(t);
        consumer.setMessageListener(m -> deliveries.incrementAndGet());
      }
      Connection pc = Jms.connect(url);
      connections.add(pc);
      Session ps = pc.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer p = ps.createProducer(ps.createTopic(topic));
      p.setDeliveryMode(DeliveryMode.PERSISTENT);
      AsyncSender sender = new AsyncSender(AsyncSender.WINDOW);
      Window w = Window.from(settings);
      CostSpan cost = CostSpan.over(b, w);
      // Deliveries are counted at the window's edges by their own thread: a send that blocks on
      // flow control must not move the edges, or skip the window altogether on a slow host.
      long[] edges = new long[2];
      Thread counter =
          new Thread(
              () -> {
                Window.sleepUntil(w.measureFrom());
                edges[0] = deliveries.get();
                Window.sleepUntil(w.end());
                edges[1] = deliveries.get();
              },
              "fanout-counter");
      counter.start();
      while (w.running(System.nanoTime())) {
        sender.send(p, Jms.message(ps));
      }
      counter.join();
      sender.awaitAll(Duration.ofSeconds(60));
      cost.put(costs, kind, edges[1] - edges[0]);
      return (edges[1] - edges[0]) / w.seconds();
    } catch (JMSException e) {
      throw Jms.failed("fan-out on " + topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchException(BenchException.Category.FAILED, "interrupted during fan-out");
    } finally {
      connections.forEach(Jms::close);
    }
  }
}
