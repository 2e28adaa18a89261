package io.tandem.broker.store;

import io.tandem.broker.ft.ClientHistory;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.qpid.jms.JmsConnectionFactory;

/**
 * Qpid JMS clients on one broker: producers that send numbered PERSISTENT messages synchronously (a
 * send returns when the broker acknowledged it) and consumers with AUTO_ACKNOWLEDGE. What they are
 * told goes into a {@link ClientHistory}; every failed send is kept with its time. A producer goes
 * on after a failed send (a full disk refuses sends, then takes them again) until its connection is
 * gone or {@link #close} stops it. Each loop is bounded by {@code maxPerProducer}.
 */
final class FaultLoad implements AutoCloseable {
  /** A send the client was told failed, or the error that ended a client. */
  record Failure(String client, long nanos, String error) {}

  final ClientHistory history;
  final Queue<Failure> failures = new ConcurrentLinkedQueue<>();
  private final AtomicLong lastAckNanos = new AtomicLong();
  private final JmsConnectionFactory factory;
  private final List<Connection> connections = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final long maxPerProducer;
  private final int id = LOADS.incrementAndGet();
  private static final java.util.concurrent.atomic.AtomicInteger LOADS =
      new java.util.concurrent.atomic.AtomicInteger();

  FaultLoad(int port, ClientHistory history, long maxPerProducer) {
    this.factory = factory(port);
    this.history = history;
    this.maxPerProducer = maxPerProducer;
  }

  static JmsConnectionFactory factory(int port) {
    return new JmsConnectionFactory(
        "amqp://127.0.0.1:" + port + "?jms.closeTimeout=3000&jms.connectTimeout=5000");
  }

  /**
   * Starts {@code n} producers on {@code queue}, named {@code queue-L1-p0}, {@code queue-L1-p1}...
   * (L1: this load; each load's producers have names of their own, as their numbers start at 0).
   */
  FaultLoad producers(String queue, int n) throws JMSException {
    for (int i = 0; i < n; i++) {
      String name = queue + "-L" + id + "-p" + i;
      Session s = session();
      MessageProducer p = s.createProducer(s.createQueue(queue));
      p.setDeliveryMode(DeliveryMode.PERSISTENT);
      thread(name, () -> produce(name, queue, s, p));
    }
    return this;
  }

  private void produce(String name, String queue, Session s, MessageProducer p)
      throws JMSException {
    for (long seq = 0; seq < maxPerProducer && running.get(); seq++) {
      Message m = s.createTextMessage("x".repeat(1024));
      m.setStringProperty("producer", name);
      m.setLongProperty("seq", seq);
      try {
        p.send(m);
      } catch (jakarta.jms.IllegalStateException e) {
        throw e; // the connection or producer is closed: this client is done
      } catch (JMSException e) {
        failures.add(new Failure(name, System.nanoTime(), e.toString()));
        pause();
        continue;
      }
      history.acked(queue, name, seq);
      lastAckNanos.set(System.nanoTime());
    }
  }

  /** Starts one consumer on {@code queue}. */
  FaultLoad consumer(String queue) throws JMSException {
    Session s = session();
    MessageConsumer c = s.createConsumer(s.createQueue(queue));
    thread(
        "consumer-" + queue,
        () -> {
          while (running.get()) {
            record(history, queue, c.receive(100));
          }
        });
    return this;
  }

  static void record(ClientHistory history, String queue, Message m) throws JMSException {
    if (m != null) {
      history.received(
          queue, m.getStringProperty("producer"), m.getLongProperty("seq"), m.getJMSRedelivered());
    }
  }

  /** Receives everything {@code queue} holds into {@code history}; the number received. */
  static int drain(int port, String queue, ClientHistory history) throws JMSException {
    try (Connection c = factory(port).createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
      int n = 0;
      Message m;
      while ((m = consumer.receive(1500)) != null) {
        record(history, queue, m);
        n++;
      }
      return n;
    }
  }

  long lastAckNanos() {
    return lastAckNanos.get();
  }

  /** Clients still running (their connection was not closed under them). */
  long alive() {
    return threads.stream().filter(Thread::isAlive).count();
  }

  private Session session() throws JMSException {
    Connection c = factory.createConnection();
    synchronized (connections) {
      connections.add(c);
    }
    c.start();
    return c.createSession(false, Session.AUTO_ACKNOWLEDGE);
  }

  /** A client body that may throw; the thread records the error and ends. */
  @FunctionalInterface
  interface Body {
    void run() throws JMSException;
  }

  private void thread(String name, Body body) {
    Thread t =
        new Thread(
            () -> {
              try {
                body.run();
              } catch (JMSException | RuntimeException e) {
                failures.add(new Failure(name, System.nanoTime(), "ended: " + e));
              }
            },
            name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops the clients: the connections close first (each within {@code jms.closeTimeout}), so that
   * a send blocked on a broker that no longer answers ends too; then the threads are joined.
   */
  @Override
  public void close() {
    running.set(false);
    synchronized (connections) {
      for (Connection c : connections) {
        try {
          c.close();
        } catch (JMSException e) {
          // the broker is gone; the connection is closed either way
        }
      }
    }
    for (Thread t : threads) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
