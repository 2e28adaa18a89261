package io.tandem.bench.scenario;

import io.tandem.bench.BenchException;
import io.tandem.bench.broker.BrokerKind;
import io.tandem.bench.broker.BrokerProcess;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 5: a queue holding N PERSISTENT messages drained by one consumer, once with
 * AUTO_ACKNOWLEDGE and once in transactions of 100. Both queues are filled at once before either is
 * drained; the fill rate is reported too.
 */
final class DrainScenario implements Scenario {
  private static final int BATCH = 100;
  private static final int FILLERS = Fill.PRODUCERS * 2;
  private static final Duration LIMIT = Duration.ofMinutes(3);
  private static final long RECEIVE_MS = 30_000;
  private static final String AUTO = "bench.drain.auto";
  private static final String TX = "bench.drain.tx";

  @Override
  public int number() {
    return 5;
  }

  @Override
  public String name() {
    return "drain";
  }

  @Override
  public String title() {
    return "drain a queue of PERSISTENT messages with one consumer";
  }

  @Override
  public List<Metric> metrics() {
    List<Metric> m = new ArrayList<>();
    m.add(new Metric("auto", "drain, AUTO_ACKNOWLEDGE", "msg/s", true));
    m.addAll(CostSpan.metrics("auto", "message received", "AUTO_ACKNOWLEDGE drain"));
    m.add(new Metric("tx", "drain, transactions of " + BATCH, "msg/s", true));
    m.addAll(CostSpan.metrics("tx", "message received", "transacted drain"));
    m.add(
        new Metric("fill", "fill of both queues, " + FILLERS + " async producers", "msg/s", true));
    m.addAll(CostSpan.metrics("fill", "message sent", "fill"));
    return m;
  }

  @Override
  public Map<String, Double> run(BrokerKind kind, int rep, Lab lab) {
    int n = lab.settings().drainMessages();
    BrokerProcess b = lab.start(kind, name());
    try {
      Map<String, Double> costs = new LinkedHashMap<>();
      CostSpan cost = CostSpan.beginNow(b);
      double fill = Fill.queues(b.amqpUrl(), List.of(AUTO, TX), n, LIMIT);
      cost.end();
      cost.put(costs, "fill", 2L * n);
      Map<String, Double> out = new LinkedHashMap<>();
      out.put("auto", drain(b, AUTO, n, false, costs));
      out.put("tx", drain(b, TX, n, true, costs));
      out.put("fill", fill);
      out.putAll(costs);
      return out;
    } finally {
      Lab.stop(b);
    }
  }

  /** Receives {@code n} messages; messages per second from the first receive call to the last. */
  private static double drain(
      BrokerProcess b, String queue, int n, boolean transacted, Map<String, Double> costs) {
    Connection c = Jms.connect(b.amqpUrl());
    try {
      Session s =
          transacted
              ? c.createSession(true, Session.SESSION_TRANSACTED)
              : c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
      CostSpan cost = CostSpan.beginNow(b);
      long t0 = System.nanoTime();
      long deadline = t0 + LIMIT.toNanos();
      for (int i = 1; i <= n; i++) {
        if (consumer.receive(RECEIVE_MS) == null || System.nanoTime() > deadline) {
          throw new BenchException(
              BenchException.Category.TIMEOUT, "drained only " + (i - 1) + " of " + n);
        }
        if (transacted && (i % BATCH == 0 || i == n)) {
          s.commit();
        }
      }
      double rate = n / ((System.nanoTime() - t0) / 1e9);
      cost.end();
      cost.put(costs, transacted ? "tx" : "auto", n);
      return rate;
    } catch (JMSException e) {
      throw Jms.failed("drain " + queue, e);
    } finally {
      Jms.close(c);
    }
  }
}
