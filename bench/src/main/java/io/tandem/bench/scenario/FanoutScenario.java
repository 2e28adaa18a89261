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
    return List.of(
        new Metric("plain", "deliveries, non-durable subscribers", "msg/s", true),
        new Metric("durable", "deliveries, durable subscribers", "msg/s", true));
  }

  @Override
  public Map<String, Double> run(BrokerKind kind, int rep, Lab lab) {
    BrokerProcess b = lab.start(kind, name());
    try {
      Map<String, Double> out = new LinkedHashMap<>();
      out.put("plain", measure(b.amqpUrl(), "bench.fanout.plain", false, lab.settings()));
      out.put("durable", measure(b.amqpUrl(), "bench.fanout.durable", true, lab.settings()));
      return out;
    } finally {
      Lab.stop(b);
    }
  }

  private static double measure(String url, String topic, boolean durable, Settings settings) {
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
      long atStart = -1;
      long startedAt = 0;
      long now;
      while (w.running(now = System.nanoTime())) {
        if (atStart < 0 && w.measuring(now)) {
          atStart = deliveries.get();
          startedAt = now;
        }
        sender.send(p, Jms.message(ps));
      }
      long atEnd = deliveries.get();
      long endedAt = System.nanoTime();
      sender.awaitAll(Duration.ofSeconds(60));
      if (atStart < 0) {
        throw new BenchException(
            BenchException.Category.FAILED, "publisher never reached the window");
      }
      return (atEnd - atStart) / ((endedAt - startedAt) / 1e9);
    } catch (JMSException e) {
      throw Jms.failed("fan-out on " + topic, e);
    } finally {
      connections.forEach(Jms::close);
    }
  }
}
