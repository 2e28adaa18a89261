package io.tandem.agent.failover;

import io.tandem.testing.Await;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.apache.qpid.jms.JmsConnectionFactory;

/*
 * Producers sending numbered PERSISTENT messages synchronously to a failsafe queue and one
 * AUTO_ACKNOWLEDGE consumer, all through a Qpid JMS failover URI naming every host's broker;
 * everything the clients are told goes into a ClientHistory.
 */
final class ClientLoad implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ClientLoad.class.getName());

  final ClientHistory history = new ClientHistory();
  final Map<String, Long> attempted = new ConcurrentHashMap<>();
  private final JmsConnectionFactory factory;
  private final List<Connection> connections = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean producing = new AtomicBoolean(true);
  private final AtomicBoolean consuming = new AtomicBoolean(true);

  ClientLoad(List<Host> hosts) {
    StringBuilder uri = new StringBuilder("failover:(");
    for (int i = 0; i < hosts.size(); i++) {
      uri.append(i == 0 ? "" : ",").append(hosts.get(i).amqpUrl());
    }
    uri.append(")?failover.initialReconnectDelay=0&failover.reconnectDelay=50")
        .append("&failover.useReconnectBackOff=false&failover.maxReconnectAttempts=-1")
        .append("&failover.startupMaxReconnectAttempts=-1")
        .append("&failover.nested.amqp.idleTimeout=2000");
    this.factory = new JmsConnectionFactory(uri.toString());
  }

  ClientLoad start(String queue, int producers) throws JMSException {
    Connection c = factory.createConnection();
    connections.add(c);
    c.start();
    Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
    MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
    thread(
        "consumer",
        () -> {
          while (consuming.get()) {
            Message m = consumer.receive(200);
            if (m != null) {
              history.received(
                  m.getStringProperty("producer"), m.getLongProperty("seq"), m.getJMSRedelivered());
            }
          }
        });
    for (int i = 0; i < producers; i++) {
      String name = "p" + i;
      Connection pc = factory.createConnection();
      connections.add(pc);
      Session ps = pc.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer p = ps.createProducer(ps.createQueue(queue));
      p.setDeliveryMode(DeliveryMode.PERSISTENT);
      thread(
          name,
          () -> {
            for (long seq = 0; producing.get(); seq++) {
              Message m = ps.createTextMessage("x".repeat(128));
              m.setStringProperty("producer", name);
              m.setLongProperty("seq", seq);
              attempted.put(name, seq + 1);
              p.send(m);
              history.acked(name, seq);
              Await.pause(Duration.ofMillis(5));
            }
          });
    }
    return this;
  }

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
            "load-" + name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  // Stops the producers, then waits until every acknowledged send has been received.
  void drain(Duration timeout) throws InterruptedException {
    producing.set(false);
    for (Thread t : threads) {
      if (!t.getName().equals("load-consumer")) {
        t.join(timeout.toMillis());
      }
    }
    try {
      Await.until("every acknowledged send received", timeout, () -> history.missing().isEmpty());
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; missing " + history.missing(), e);
    }
  }

  @Override
  public void close() {
    producing.set(false);
    consuming.set(false);
    for (Thread t : threads) {
      try {
        t.join(5_000);
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
