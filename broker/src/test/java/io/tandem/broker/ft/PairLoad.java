package io.tandem.broker.ft;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.apache.qpid.jms.JmsConnectionFactory;

/**
 * Producers and consumers on a pair through Qpid JMS failover URIs: each producer sends numbered
 * PERSISTENT messages synchronously, each queue has one AUTO_ACKNOWLEDGE consumer; everything the
 * clients are told goes into a {@link ClientHistory}.
 */
final class PairLoad implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(PairLoad.class.getName());

  final ClientHistory history = new ClientHistory();
  private final JmsConnectionFactory factory;
  private final List<Connection> connections = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean producing = new AtomicBoolean(true);
  private final AtomicBoolean consuming = new AtomicBoolean(true);
  private final long maxPerProducer;

  PairLoad(String failoverUri, long maxPerProducer) {
    this.factory = new JmsConnectionFactory(failoverUri);
    this.maxPerProducer = maxPerProducer;
  }

  static String failoverUri(Member a, Member b) {
    return "failover:("
        + a.url()
        + ","
        + b.url()
        + ")?failover.initialReconnectDelay=0&failover.reconnectDelay=25"
        + "&failover.useReconnectBackOff=false&failover.maxReconnectAttempts=-1"
        + "&failover.startupMaxReconnectAttempts=200";
  }

  /** Starts {@code producers} producers and one consumer on {@code queue}. */
  PairLoad start(String queue, int producers) throws JMSException {
    Connection c = factory.createConnection();
    connections.add(c);
    c.start();
    Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
    MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
    thread(
        "consumer-" + queue,
        () -> {
          while (consuming.get()) {
            Message m = consumer.receive(200);
            if (m != null) {
              history.received(
                  queue,
                  m.getStringProperty("producer"),
                  m.getLongProperty("seq"),
                  m.getJMSRedelivered());
            }
          }
        });
    for (int i = 0; i < producers; i++) {
      String name = queue + "-p" + i;
      Connection pc = factory.createConnection();
      connections.add(pc);
      Session ps = pc.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer p = ps.createProducer(ps.createQueue(queue));
      p.setDeliveryMode(DeliveryMode.PERSISTENT);
      thread(
          name,
          () -> {
            for (long seq = 0; seq < maxPerProducer && producing.get(); seq++) {
              Message m = ps.createTextMessage("x".repeat(256));
              m.setStringProperty("producer", name);
              m.setLongProperty("seq", seq);
              p.send(m);
              history.acked(queue, name, seq);
            }
          });
    }
    return this;
  }

  /** A client step that may throw; the thread logs and ends if it does. */
  @FunctionalInterface
  interface Step {
    void run() throws JMSException;
  }

  private void thread(String name, Step body) {
    Thread t =
        new Thread(
            () -> {
              try {
                body.run();
              } catch (JMSException | RuntimeException e) {
                if (producing.get() && consuming.get()) {
                  LOG.warning(name + " failed: " + e);
                }
              }
            },
            name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  void stopProducing() throws InterruptedException {
    producing.set(false);
    for (Thread t : threads) {
      if (!t.getName().startsWith("consumer-")) {
        t.join(60_000);
      }
    }
  }

  @Override
  public void close() {
    producing.set(false);
    consuming.set(false);
    for (Thread t : threads) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Connection c : connections) {
      try {
        c.close();
      } catch (JMSException e) {
        LOG.fine("close: " + e);
      }
    }
  }
}
