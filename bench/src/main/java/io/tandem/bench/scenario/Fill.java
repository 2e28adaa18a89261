package io.tandem.bench.scenario;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.time.Duration;

/** Puts {@code count} PERSISTENT 1 KB messages on a queue and waits until all are acknowledged. */
final class Fill {
  private Fill() {}

  /**
   * @return acknowledged sends per second
   */
  static double queue(String url, String queue, int count, Duration limit) {
    Connection c = Jms.connect(url);
    try {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer p = s.createProducer(s.createQueue(queue));
      p.setDeliveryMode(DeliveryMode.PERSISTENT);
      AsyncSender sender = new AsyncSender(AsyncSender.WINDOW);
      long t0 = System.nanoTime();
      long deadline = t0 + limit.toNanos();
      for (int i = 0; i < count; i++) {
        if (System.nanoTime() > deadline) {
          throw new io.tandem.bench.BenchException(
              io.tandem.bench.BenchException.Category.TIMEOUT,
              "filled only " + i + " of " + count + " messages in " + limit);
        }
        sender.send(p, Jms.message(s));
      }
      sender.awaitAll(limit);
      return count / ((System.nanoTime() - t0) / 1e9);
    } catch (JMSException e) {
      throw Jms.failed("fill " + queue, e);
    } finally {
      Jms.close(c);
    }
  }
}
