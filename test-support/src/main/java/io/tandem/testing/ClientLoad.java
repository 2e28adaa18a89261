package io.tandem.testing;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.apache.qpid.jms.JmsConnectionFactory;

/**
 * Qpid JMS clients on one broker or, through a failover URI, on several: producers that send
 * numbered PERSISTENT messages synchronously (a send returns once the broker acknowledged it) and
 * AUTO_ACKNOWLEDGE consumers, each client on a connection of its own. Everything they are told goes
 * into a {@link ClientHistory}; every failed send is kept with its time. A producer goes on after a
 * failed send (a full disk refuses sends, then takes them again) until its connection is closed
 * under it, it sent {@link #maxPerProducer} messages, or the load stops it.
 */
public final class ClientLoad implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ClientLoad.class.getName());
  private static final AtomicInteger LOADS = new AtomicInteger();
  private static final Duration AFTER_FAILED_SEND = Duration.ofMillis(50);

  /** A send the client was told failed, or the error that ended a client. */
  public record Failure(String client, long nanos, String error) {}

  private final ClientHistory history;
  private final Queue<Failure> failures = new ConcurrentLinkedQueue<>();
  private final AtomicLong lastAckNanos = new AtomicLong();
  private final JmsConnectionFactory factory;
  private final List<Connection> connections = new ArrayList<>();
  private final List<Thread> producers = new ArrayList<>();
  private final List<Thread> consumers = new ArrayList<>();
  private final AtomicBoolean producing = new AtomicBoolean(true);
  private final AtomicBoolean consuming = new AtomicBoolean(true);
  private final int id = LOADS.incrementAndGet();
  private long maxPerProducer = 100_000;
  private int messageBytes = 256;
  private Duration sendPause = Duration.ZERO;

  /** Clients on {@code uri} recording into a history of their own. */
  public ClientLoad(String uri) {
    this(uri, new ClientHistory());
  }

  /** Clients on {@code uri} recording into {@code history} (shared with other loads or drains). */
  public ClientLoad(String uri, ClientHistory history) {
    this.factory = new JmsConnectionFactory(uri);
    this.history = history;
  }

  /**
   * A failover URI over {@code brokerUrls} that reconnects at once and for ever ({@code
   * failover.maxReconnectAttempts=-1}, no back-off), with {@code options} appended (for instance
   * {@code failover.reconnectDelay=25}).
   */
  public static String failoverUri(List<String> brokerUrls, String... options) {
    StringBuilder uri = new StringBuilder("failover:(").append(String.join(",", brokerUrls));
    uri.append(")?failover.initialReconnectDelay=0&failover.useReconnectBackOff=false")
        .append("&failover.maxReconnectAttempts=-1");
    for (String option : options) {
      uri.append('&').append(option);
    }
    return uri.toString();
  }

  /** A plain URI on one local broker, with connect and close bounded for a broker gone silent. */
  public static String localUri(int port) {
    return "amqp://127.0.0.1:" + port + "?jms.closeTimeout=3000&jms.connectTimeout=5000";
  }

  /** At most {@code n} sends per producer (100 000 unless set): every load loop is bounded. */
  public ClientLoad maxPerProducer(long n) {
    this.maxPerProducer = n;
    return this;
  }

  /** The size of each message's text (256 unless set). */
  public ClientLoad messageBytes(int bytes) {
    this.messageBytes = bytes;
    return this;
  }

  /** A pause after each acknowledged send (none unless set), to keep the rate modest. */
  public ClientLoad sendPause(Duration pause) {
    this.sendPause = pause;
    return this;
  }

  public ClientHistory history() {
    return history;
  }

  /** Sends the clients were told failed and errors that ended clients, oldest first. */
  public Queue<Failure> failures() {
    return failures;
  }

  /** When (System.nanoTime) the last send was acknowledged; 0 before the first. */
  public long lastAckNanos() {
    return lastAckNanos.get();
  }

  /** Clients still running (their connection was not closed under them). */
  public long alive() {
    synchronized (connections) {
      return producers.stream().filter(Thread::isAlive).count()
          + consumers.stream().filter(Thread::isAlive).count();
    }
  }

  /** Starts one consumer and then {@code n} producers on {@code queue}. */
  public ClientLoad start(String queue, int n) throws JMSException {
    return consumer(queue).producers(queue, n);
  }

  /**
   * Starts {@code n} producers on {@code queue}, named {@code queue-L1-p0}, {@code queue-L1-p1}...
   * (L1: this load; each load's producers have names of their own, as their numbers start at 0).
   */
  public ClientLoad producers(String queue, int n) throws JMSException {
    for (int i = 0; i < n; i++) {
      String name = queue + "-L" + id + "-p" + i;
      Session s = session();
      MessageProducer p = s.createProducer(s.createQueue(queue));
      p.setDeliveryMode(DeliveryMode.PERSISTENT);
      producers.add(thread(name, () -> produce(name, queue, s, p)));
    }
    return this;
  }

  /** Starts one consumer on {@code queue}. */
  public ClientLoad consumer(String queue) throws JMSException {
    Session s = session();
    MessageConsumer c = s.createConsumer(s.createQueue(queue));
    consumers.add(
        thread(
            "consumer-" + queue,
            () -> {
              while (consuming.get()) {
                record(history, queue, c.receive(100));
              }
            }));
    return this;
  }

  private void produce(String name, String queue, Session s, MessageProducer p)
      throws JMSException {
    String text = "x".repeat(messageBytes);
    for (long seq = 0; seq < maxPerProducer && producing.get(); seq++) {
      Message m = s.createTextMessage(text);
      m.setStringProperty("producer", name);
      m.setLongProperty("seq", seq);
      history.sending(queue, name, seq);
      try {
        p.send(m);
      } catch (jakarta.jms.IllegalStateException e) {
        throw e; // the connection or producer is closed: this client is done
      } catch (JMSException e) {
        failures.add(new Failure(name, System.nanoTime(), e.toString()));
        history.failed(queue, name, seq);
        Await.pause(AFTER_FAILED_SEND);
        continue;
      }
      history.acked(queue, name, seq);
      lastAckNanos.set(System.nanoTime());
      if (!sendPause.isZero()) {
        Await.pause(sendPause);
      }
    }
  }

  /** Records a received copy ({@code null}: nothing came) into {@code history}. */
  public static void record(ClientHistory history, String queue, Message m) throws JMSException {
    if (m != null) {
      history.received(
          queue, m.getStringProperty("producer"), m.getLongProperty("seq"), m.getJMSRedelivered());
    }
  }

  /**
   * Receives everything {@code queue} holds on {@code uri} into {@code history}, until nothing
   * comes for 1.5 s; the number received.
   */
  public static int drain(String uri, String queue, ClientHistory history) throws JMSException {
    try (Connection c = new JmsConnectionFactory(uri).createConnection()) {
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

  /** Stops the producers and waits for each to end; the consumers go on. */
  public void stopProducing() throws InterruptedException {
    producing.set(false);
    for (Thread t : producers) {
      t.join(60_000);
    }
  }

  /**
   * Stops the producers, then waits until every acknowledged send (to any queue) was received.
   *
   * @throws AssertionError naming what is missing when that takes longer than {@code timeout}
   */
  public void awaitEveryAckedReceived(Duration timeout) throws InterruptedException {
    stopProducing();
    Await.until(
        () -> "every acknowledged send received; missing " + history.missing(),
        timeout,
        () -> history.missing().isEmpty());
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
  private interface Body {
    void run() throws JMSException;
  }

  private Thread thread(String name, Body body) {
    Thread t =
        new Thread(
            () -> {
              try {
                body.run();
              } catch (JMSException | RuntimeException e) {
                failures.add(new Failure(name, System.nanoTime(), "ended: " + e));
                if (producing.get() && consuming.get()) {
                  LOG.warning(name + " failed: " + e);
                }
              }
            },
            "load-" + name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * Stops the clients: the connections close first (on a local URI each within {@code
   * jms.closeTimeout}), so that a send blocked on a broker that no longer answers ends too; then
   * the threads are joined.
   */
  @Override
  public void close() {
    producing.set(false);
    consuming.set(false);
    synchronized (connections) {
      for (Connection c : connections) {
        try {
          c.close();
        } catch (JMSException e) {
          LOG.fine("close: " + e); // the broker is gone; the connection is closed either way
        }
      }
    }
    List<Thread> all = new ArrayList<>(producers);
    all.addAll(consumers);
    for (Thread t : all) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
