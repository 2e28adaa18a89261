package io.tandem.bench.scenario;

import io.tandem.bench.BenchException;
import io.tandem.bench.broker.BrokerKind;
import io.tandem.bench.broker.BrokerProcess;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Scenario 6: PERSISTENT messages sent at a fixed rate (asynchronous sends, at most 1,000
 * unacknowledged) to a queue with one AUTO_ACKNOWLEDGE consumer in another connection. Latency runs
 * from the moment the schedule says a message is due to its arrival at the consumer, so a broker
 * that falls behind is charged for the wait (no coordinated omission).
 */
final class LatencyScenario implements Scenario {
  private static final int[] RATES = {1_000, 10_000};
  private static final String DUE = "due";

  @Override
  public int number() {
    return 6;
  }

  @Override
  public String name() {
    return "latency";
  }

  @Override
  public String title() {
    return "end-to-end latency at a fixed rate, PERSISTENT";
  }

  @Override
  public List<Metric> metrics() {
    List<Metric> m = new ArrayList<>();
    for (int rate : RATES) {
      String at = " at " + String.format("%,d", rate) + " msg/s";
      m.add(new Metric("p50_" + rate, "p50" + at, "ms", false));
      m.add(new Metric("p99_" + rate, "p99" + at, "ms", false));
      m.add(new Metric("p999_" + rate, "p99.9" + at, "ms", false));
      m.addAll(CostSpan.metrics("at" + rate, "message received", at.trim()));
    }
    return m;
  }

  @Override
  public Map<String, Double> run(BrokerKind kind, int rep, Lab lab) {
    BrokerProcess b = lab.start(kind, name());
    try {
      Map<String, Double> out = new LinkedHashMap<>();
      for (int rate : RATES) {
        Histogram h = measure(b, "bench.latency." + rate, rate, lab.settings(), out);
        out.put("p50_" + rate, h.getValueAtPercentile(50) / 1e6);
        out.put("p99_" + rate, h.getValueAtPercentile(99) / 1e6);
        out.put("p999_" + rate, h.getValueAtPercentile(99.9) / 1e6);
      }
      return out;
    } finally {
      Lab.stop(b);
    }
  }

  private static Histogram measure(
      BrokerProcess b, String queue, int rate, Settings settings, Map<String, Double> costs) {
    Connection in = Jms.connect(b.amqpUrl());
    Connection out = Jms.connect(b.amqpUrl());
    try {
      Session rs = in.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer = rs.createConsumer(rs.createQueue(queue));
      Window w = Window.from(settings);
      long period = 1_000_000_000L / rate;
      int total = (int) ((w.end() - w.start()) / period);
      Histogram h = new Histogram(3);
      CountDownLatch received = new CountDownLatch(total);
      AtomicLong arrived = new AtomicLong();
      consumer.setMessageListener(m -> record(m, h, w, received, arrived));
      CostSpan cost = CostSpan.over(b, w);
      Session ss = out.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer p = ss.createProducer(ss.createQueue(queue));
      p.setDeliveryMode(DeliveryMode.PERSISTENT);
      AsyncSender sender = new AsyncSender(AsyncSender.WINDOW);
      for (int i = 0; i < total; i++) {
        long due = w.start() + i * period;
        Window.sleepUntil(due);
        Message m = Jms.message(ss);
        m.setLongProperty(DUE, due);
        sender.send(p, m);
      }
      sender.awaitAll(Duration.ofSeconds(60));
      if (!received.await(60, TimeUnit.SECONDS)) {
        throw new BenchException(
            BenchException.Category.TIMEOUT,
            received.getCount() + " of " + total + " messages not received after 60 s");
      }
      cost.put(costs, "at" + rate, arrived.get());
      synchronized (h) {
        return h.copy();
      }
    } catch (JMSException e) {
      throw Jms.failed("latency at " + rate + " msg/s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchException(BenchException.Category.FAILED, "interrupted", e);
    } finally {
      Jms.close(out);
      Jms.close(in);
    }
  }

  private static void record(
      Message m, Histogram h, Window w, CountDownLatch received, AtomicLong arrived) {
    long now = System.nanoTime();
    if (w.measuring(now)) {
      arrived.incrementAndGet();
    }
    try {
      long due = m.getLongProperty(DUE);
      if (w.measuring(due)) {
        synchronized (h) {
          h.recordValue(Math.max(0, now - due));
        }
      }
    } catch (JMSException e) {
      // a message without the property is not one of ours; it is not counted
      return;
    }
    received.countDown();
  }
}
