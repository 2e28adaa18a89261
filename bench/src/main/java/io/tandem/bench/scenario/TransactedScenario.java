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

/** Scenario 3: one transacted producer, PERSISTENT sends, a commit every 100 messages. */
final class TransactedScenario implements Scenario {
  private static final int BATCH = 100;

  @Override
  public int number() {
    return 3;
  }

  @Override
  public String name() {
    return "transacted";
  }

  @Override
  public String title() {
    return "transacted producer, commit every " + BATCH + " PERSISTENT messages";
  }

  @Override
  public List<Metric> metrics() {
    List<Metric> m = new ArrayList<>();
    m.add(new Metric("rate", "committed throughput", "msg/s", true));
    m.addAll(CostSpan.metrics("rate", "message committed", ""));
    return m;
  }

  @Override
  public Map<String, Double> run(BrokerKind kind, int rep, Lab lab) {
    BrokerProcess b = lab.start(kind, name());
    Connection c = null;
    try {
      c = Jms.connect(b.amqpUrl());
      Session s = c.createSession(true, Session.SESSION_TRANSACTED);
      MessageProducer p = s.createProducer(s.createQueue("bench.tx"));
      p.setDeliveryMode(DeliveryMode.PERSISTENT);
      Window w = Window.from(lab.settings());
      CostSpan cost = CostSpan.over(b, w);
      long committed = 0;
      while (w.running(System.nanoTime())) {
        for (int i = 0; i < BATCH; i++) {
          p.send(Jms.message(s));
        }
        s.commit();
        if (w.measuring(System.nanoTime())) {
          committed += BATCH;
        }
      }
      Map<String, Double> out = new LinkedHashMap<>();
      out.put("rate", committed / w.seconds());
      cost.put(out, "rate", committed);
      return out;
    } catch (JMSException e) {
      throw Jms.failed(name() + " on " + kind.label(), e);
    } finally {
      Jms.close(c);
      Lab.stop(b);
    }
  }
}
