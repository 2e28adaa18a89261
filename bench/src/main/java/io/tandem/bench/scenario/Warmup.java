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
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the client's code paths against each broker once before anything is measured: synchronous,
 * transacted, asynchronous and NON_PERSISTENT sends, a listener, and synchronous receives with
 * AUTO_ACKNOWLEDGE and in transactions, each for the settings' warm-up time. Without it the first
 * broker measured (Tandem, in the first repetition) would also pay for the bench JVM compiling Qpid
 * JMS, Proton-J and Netty, and for the first reading of both brokers' jars and the JDK from disk.
 * Nothing is recorded; a failure is logged and the run goes on (the scenario will report it).
 */
public final class Warmup {
  private static final String QUEUE = "bench.warmup";
  private static final String ASYNC = "bench.warmup.async";
  private static final int BATCH = 100;

  private Warmup() {}

  /** Warms the client on each broker in turn; returns the seconds it took. */
  public static double run(Lab lab, PrintStream log) {
    long t0 = System.nanoTime();
    for (BrokerKind kind : BrokerKind.values()) {
      long t = System.nanoTime();
      try {
        long messages = once(kind, lab);
        log.printf(
            Locale.ROOT,
            "[warm-up] %s: %d messages in %.1f s%n",
            kind.label(),
            messages,
            (System.nanoTime() - t) / 1e9);
      } catch (BenchException | IllegalStateException e) {
        log.println("[warm-up] " + kind.label() + ": " + e.getMessage());
      }
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private static long once(BrokerKind kind, Lab lab) {
    long each = lab.settings().warmup().toNanos();
    BrokerProcess b = lab.start(kind, "warmup");
    Connection c = null;
    try {
      c = Jms.connect(b.amqpUrl());
      long n = send(c, false, DeliveryMode.PERSISTENT, each);
      n += send(c, true, DeliveryMode.PERSISTENT, each);
      n += send(c, false, DeliveryMode.NON_PERSISTENT, each);
      n += asyncWithListener(c, each);
      n += receive(c, false, each);
      n += receive(c, true, each);
      return n;
    } catch (JMSException e) {
      throw Jms.failed("warm-up on " + kind.label(), e);
    } finally {
      Jms.close(c);
      Lab.stop(b);
    }
  }

  private static long send(Connection c, boolean transacted, int mode, long forNanos)
      throws JMSException {
    Session s =
        transacted
            ? c.createSession(true, Session.SESSION_TRANSACTED)
            : c.createSession(false, Session.AUTO_ACKNOWLEDGE);
    MessageProducer p = s.createProducer(s.createQueue(QUEUE));
    p.setDeliveryMode(mode);
    long end = System.nanoTime() + forNanos;
    long n = 0;
    while (System.nanoTime() < end) {
      p.send(Jms.message(s));
      n++;
      if (transacted && n % BATCH == 0) {
        s.commit();
      }
    }
    if (transacted) {
      s.commit();
    }
    if (mode == DeliveryMode.NON_PERSISTENT) {
      p.setDeliveryMode(DeliveryMode.PERSISTENT);
      p.send(Jms.message(s));
    }
    s.close();
    return n;
  }

  private static long asyncWithListener(Connection c, long forNanos) throws JMSException {
    Session rs = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
    AtomicLong received = new AtomicLong();
    MessageConsumer consumer = rs.createConsumer(rs.createQueue(ASYNC));
    consumer.setMessageListener(m -> received.incrementAndGet());
    Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
    MessageProducer p = s.createProducer(s.createQueue(ASYNC));
    p.setDeliveryMode(DeliveryMode.PERSISTENT);
    AsyncSender sender = new AsyncSender(AsyncSender.WINDOW);
    long end = System.nanoTime() + forNanos;
    while (System.nanoTime() < end) {
      sender.send(p, Jms.message(s));
    }
    sender.awaitAll(Duration.ofSeconds(60));
    s.close();
    rs.close();
    return sender.completed();
  }

  private static long receive(Connection c, boolean transacted, long forNanos) throws JMSException {
    Session s =
        transacted
            ? c.createSession(true, Session.SESSION_TRANSACTED)
            : c.createSession(false, Session.AUTO_ACKNOWLEDGE);
    MessageConsumer consumer = s.createConsumer(s.createQueue(QUEUE));
    long end = System.nanoTime() + forNanos;
    long n = 0;
    while (System.nanoTime() < end && consumer.receive(1000) != null) {
      if (++n % BATCH == 0 && transacted) {
        s.commit();
      }
    }
    if (transacted) {
      s.commit();
    }
    s.close();
    return n;
  }
}
