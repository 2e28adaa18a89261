package io.tandem.bench.scenario;

import io.tandem.bench.BenchException;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Scenarios 1 and 2: producers each on its own connection, sending PERSISTENT 1 KB messages to one
 * queue and waiting for each acknowledgement. With one producer it also reports the send round
 * trip; with many, the broker's resident memory under that load.
 */
final class SyncSendScenario implements Scenario {
  private final int number;
  private final int producers;

  SyncSendScenario(int number, int producers) {
    this.number = number;
    this.producers = producers;
  }

  @Override
  public int number() {
    return number;
  }

  @Override
  public String name() {
    return producers == 1 ? "sync-send" : "sync-send-" + producers;
  }

  @Override
  public String title() {
    return producers == 1
        ? "1 producer, synchronous PERSISTENT sends"
        : producers + " synchronous PERSISTENT producers";
  }

  @Override
  public List<Metric> metrics() {
    List<Metric> m = new ArrayList<>();
    m.add(new Metric("rate", "throughput", "msg/s", true));
    m.addAll(CostSpan.metrics("rate", "message sent", ""));
    if (producers == 1) {
      m.add(new Metric("p50", "send round trip p50", "ms", false));
      m.add(new Metric("p99", "send round trip p99", "ms", false));
    } else {
      m.add(new Metric("rss", "broker RSS under this load (peak)", "MB", false));
    }
    return m;
  }

  @Override
  public Map<String, Double> run(BrokerKind kind, int rep, Lab lab) {
    BrokerProcess b = lab.start(kind, name());
    List<Connection> connections = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(producers);
    try {
      List<MessageProducer> senders = new ArrayList<>();
      List<Session> sessions = new ArrayList<>();
      for (int i = 0; i < producers; i++) {
        Connection c = Jms.connect(b.amqpUrl());
        connections.add(c);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = s.createProducer(s.createQueue("bench.sync"));
        p.setDeliveryMode(DeliveryMode.PERSISTENT);
        sessions.add(s);
        senders.add(p);
      }
      Window w = Window.from(lab.settings());
      CostSpan cost = CostSpan.over(b, w);
      AtomicLong count = new AtomicLong();
      List<Future<Histogram>> futures = new ArrayList<>();
      for (int i = 0; i < producers; i++) {
        Session s = sessions.get(i);
        MessageProducer p = senders.get(i);
        futures.add(pool.submit(() -> sendUntilEnd(s, p, w, count)));
      }
      long peakRss = producers > 1 ? samplePeakRss(b, w) : 0;
      Histogram rtt = new Histogram(3);
      for (Future<Histogram> f : futures) {
        rtt.add(
            f.get(
                w.end() - System.nanoTime() + TimeUnit.SECONDS.toNanos(90), TimeUnit.NANOSECONDS));
      }
      Map<String, Double> out = new LinkedHashMap<>();
      out.put("rate", count.get() / w.seconds());
      cost.put(out, "rate", count.get());
      if (producers == 1) {
        out.put("p50", rtt.getValueAtPercentile(50) / 1e6);
        out.put("p99", rtt.getValueAtPercentile(99) / 1e6);
      } else {
        out.put("rss", peakRss / (1024.0 * 1024));
      }
      return out;
    } catch (JMSException
        | java.util.concurrent.ExecutionException
        | java.util.concurrent.TimeoutException e) {
      throw Jms.failed(name() + " on " + kind.label(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchException(BenchException.Category.FAILED, "interrupted", e);
    } finally {
      pool.shutdownNow();
      connections.forEach(Jms::close);
      Lab.stop(b);
    }
  }

  private static Histogram sendUntilEnd(Session s, MessageProducer p, Window w, AtomicLong count)
      throws JMSException {
    Histogram h = new Histogram(3);
    while (true) {
      long t0 = System.nanoTime();
      if (!w.running(t0)) {
        return h;
      }
      p.send(Jms.message(s));
      long t1 = System.nanoTime();
      if (w.measuring(t1)) {
        count.incrementAndGet();
        h.recordValue(t1 - t0);
      }
    }
  }

  /** Reads the broker's RSS every 200 ms through the measured interval; the largest reading. */
  static long samplePeakRss(BrokerProcess b, Window w) {
    Window.sleepUntil(w.measureFrom());
    long peak = 0;
    while (w.running(System.nanoTime())) {
      peak = Math.max(peak, b.rssBytes());
      Window.sleepUntil(Math.min(w.end(), System.nanoTime() + 200_000_000L));
    }
    return peak;
  }
}
