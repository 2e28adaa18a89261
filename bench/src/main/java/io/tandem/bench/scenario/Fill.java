package io.tandem.bench.scenario;

import io.tandem.bench.BenchException;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Puts PERSISTENT 1 KB messages on queues and waits until all are acknowledged: {@value #PRODUCERS}
 * producers per queue, each on its own connection with asynchronous sends and at most {@value
 * #WINDOW} unacknowledged, so that both brokers can batch their disk flushes.
 */
final class Fill {
  static final int PRODUCERS = 4;
  static final int WINDOW = 250;

  private Fill() {}

  /**
   * Fills every queue with {@code count} messages at once.
   *
   * @return acknowledged sends per second over all queues
   */
  static double queues(String url, List<String> queues, int count, Duration limit) {
    ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS * queues.size());
    try {
      long t0 = System.nanoTime();
      long deadline = t0 + limit.toNanos();
      List<Future<?>> running = new ArrayList<>();
      for (String q : queues) {
        for (int p = 0; p < PRODUCERS; p++) {
          int share = count / PRODUCERS + (p < count % PRODUCERS ? 1 : 0);
          running.add(pool.submit(() -> send(url, q, share, deadline)));
        }
      }
      for (Future<?> f : running) {
        f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
      return (double) count * queues.size() / ((System.nanoTime() - t0) / 1e9);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof BenchException b
          ? b
          : new BenchException(BenchException.Category.FAILED, "fill: " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new BenchException(BenchException.Category.TIMEOUT, "fill took over " + limit, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchException(BenchException.Category.FAILED, "interrupted", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Void send(String url, String queue, int count, long deadline) {
    Connection c = Jms.connect(url);
    try {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer p = s.createProducer(s.createQueue(queue));
      p.setDeliveryMode(DeliveryMode.PERSISTENT);
      AsyncSender sender = new AsyncSender(WINDOW);
      for (int i = 0; i < count; i++) {
        if (System.nanoTime() > deadline) {
          throw new BenchException(
              BenchException.Category.TIMEOUT, "filled only " + i + " of " + count + " messages");
        }
        sender.send(p, Jms.message(s));
      }
      sender.awaitAll(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      return null;
    } catch (JMSException e) {
      throw Jms.failed("fill " + queue, e);
    } finally {
      Jms.close(c);
    }
  }
}
