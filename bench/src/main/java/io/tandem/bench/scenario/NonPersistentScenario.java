package io.tandem.bench.scenario;

import io.tandem.bench.broker.BrokerKind;
import io.tandem.bench.broker.BrokerProcess;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 4: one producer of NON_PERSISTENT messages, sent the way Qpid JMS sends them by default
 * (without waiting, within the broker's link credit). The interval ends only when a synchronous
 * PERSISTENT marker sent after the last message is acknowledged, so messages still in the client's
 * or the socket's buffers are not counted as delivered to the broker.
 */
final class NonPersistentScenario implements Scenario {
  @Override
  public int number() {
    return 4;
  }

  @Override
  public String name() {
    return "non-persistent";
  }

  @Override
  public String title() {
    return "1 producer, NON_PERSISTENT sends";
  }

  @Override
  public List<Metric> metrics() {
    List<Metric> m = new ArrayList<>();
    m.add(new Metric("rate", "throughput", "msg/s", true));
    m.addAll(CostSpan.metrics("rate", "message sent", ""));
    return m;
  }

  @Override
  public Map<String, Double> run(BrokerKind kind, int rep, Lab lab) {
    BrokerProcess b = lab.start(kind, name());
    Connection c = null;
    try {
      c = Jms.connect(b.amqpUrl());
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer p = s.createProducer(s.createQueue("bench.np"));
      p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
      Window w = Window.from(lab.settings());
      long sent = 0;
      CostSpan cost = null;
      while (w.running(System.nanoTime())) {
        p.send(Jms.message(s));
        if (w.measuring(System.nanoTime())) {
          if (cost == null) {
            // one send late at most: the window's first message is this one
            cost = CostSpan.beginNow(b);
          }
          sent++;
        }
      }
      p.setDeliveryMode(DeliveryMode.PERSISTENT);
      p.send(Jms.message(s));
      double seconds = (System.nanoTime() - w.measureFrom()) / 1e9;
      Map<String, Double> out = new LinkedHashMap<>();
      out.put("rate", sent / seconds);
      if (cost != null) {
        cost.end();
        cost.put(out, "rate", sent);
      }
      return out;
    } catch (JMSException e) {
      throw Jms.failed(name() + " on " + kind.label(), e);
    } finally {
      Jms.close(c);
      Lab.stop(b);
    }
  }
}
