package io.tandem.broker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tandem.testing.Await;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Test;

/**
 * Kills the broker process with SIGKILL at random points while producers and consumers (Qpid JMS)
 * work on a failsafe and an ordinary queue, restarts it on the same store, and checks the history:
 * every send the broker acknowledged is received at some point. Logs stay in {@code
 * target/broker-crash-test} when it fails.
 */
class BrokerCrashTest {
  private static final List<String> QUEUES = List.of("crash.failsafe", "crash.async");
  private static final int ROUNDS = 20;

  private final Set<String> acked = ConcurrentHashMap.newKeySet();
  private final Set<String> received = ConcurrentHashMap.newKeySet();
  private final Set<String> rolledBack = ConcurrentHashMap.newKeySet();
  private final Set<String> unflaggedDuplicates = ConcurrentHashMap.newKeySet();
  private final AtomicInteger duplicates = new AtomicInteger();

  @Test
  void shouldKeepEveryAcknowledgedSendAcrossSigkills() throws Exception {
    Path dir = Path.of("target", "broker-crash-test", Long.toString(System.currentTimeMillis()));
    Files.createDirectories(dir);
    int port = BrokerProcess.freePort();
    Path config = writeConfig(dir, port, BrokerProcess.freePort());
    Path log = dir.resolve("broker.log");
    Random random = new Random();
    for (int round = 0; round < ROUNDS; round++) {
      try (BrokerProcess broker = BrokerProcess.start(config, log, port)) {
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        for (String q : QUEUES) {
          clients.add(start(() -> produce(port, q, running)));
          if (round % 2 == 1) {
            // every other round has no consumers, so the store holds a backlog when it is killed
            clients.add(start(() -> consume(port, q, running)));
          }
        }
        clients.add(start(() -> produceTransactions(port, running)));
        int before = acked.size();
        Await.until(
            "clients make progress in round " + round + "; log: " + log,
            java.time.Duration.ofSeconds(60),
            () -> acked.size() >= before + 20);
        // the kill point: a random moment while the clients keep going
        Thread.sleep(random.nextInt(800));
        broker.kill();
        running.set(false);
        for (Thread t : clients) {
          t.join(30_000);
          assertTrue(!t.isAlive(), "client thread stuck; log: " + log);
        }
      }
    }
    try (BrokerProcess broker = BrokerProcess.start(config, log, port)) {
      for (String q : QUEUES) {
        drain(port, q);
      }
      assertEquals(0, broker.stop(), "clean stop; log: " + log);
    }
    List<String> lost = acked.stream().filter(id -> !received.contains(id)).sorted().toList();
    if (!lost.isEmpty()) {
      fail(
          lost.size()
              + " acknowledged sends lost, e.g. "
              + lost.subList(0, Math.min(10, lost.size()))
              + "; log: "
              + log);
    }
    assertTrue(acked.size() > 100, "too little load: " + acked.size() + " acknowledged sends");
    List<String> visibleRollbacks =
        rolledBack.stream().filter(received::contains).sorted().toList();
    assertEquals(List.of(), visibleRollbacks, "rolled-back transactional sends were delivered");
    assertEquals(Set.of(), unflaggedDuplicates, "received twice without JMSRedelivered");
    deleteTree(dir);
    System.out.println(
        "crash test: "
            + acked.size()
            + " acknowledged sends, "
            + received.size()
            + " distinct received, "
            + duplicates.get()
            + " redeliveries, "
            + rolledBack.size()
            + " rolled-back sends never seen, "
            + ROUNDS
            + " kill points");
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static Path writeConfig(Path dir, int amqp, int admin) throws Exception {
    Files.writeString(dir.resolve("queues.conf"), "crash.failsafe  failsafe\n>\n");
    Files.writeString(dir.resolve("topics.conf"), ">\n");
    Path config = dir.resolve("tandem.conf");
    Files.writeString(
        config,
        "server = crash\n"
            + "listen = amqp://127.0.0.1:"
            + amqp
            + "\n"
            + "admin_listen = http://127.0.0.1:"
            + admin
            + "\n"
            + "store = store\n"
            + "store_minimum = 1MB\n"
            + "queues = queues.conf\n"
            + "topics = topics.conf\n");
    return config;
  }

  private static Thread start(Runnable r) {
    Thread t = new Thread(r);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static Connection connect(int port) throws JMSException {
    Connection c = new JmsConnectionFactory("amqp://127.0.0.1:" + port).createConnection();
    c.start();
    return c;
  }

  private void produce(int port, String queue, AtomicBoolean running) {
    try (Connection c = connect(port)) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer p = s.createProducer(s.createQueue(queue));
      p.setDeliveryMode(DeliveryMode.PERSISTENT);
      int n = 0;
      while (running.get()) {
        String id = queue + "-" + System.nanoTime() + "-" + n++;
        Message m = s.createTextMessage(id);
        m.setStringProperty("key", id);
        p.send(m);
        acked.add(id);
      }
    } catch (JMSException | RuntimeException e) {
      // the broker was killed: sends after that fail, which is the point
    }
  }

  /** Batches of three sends to the failsafe queue; every third batch is rolled back. */
  private void produceTransactions(int port, AtomicBoolean running) {
    try (Connection c = connect(port)) {
      Session s = c.createSession(true, Session.SESSION_TRANSACTED);
      MessageProducer p = s.createProducer(s.createQueue(QUEUES.get(0)));
      p.setDeliveryMode(DeliveryMode.PERSISTENT);
      for (int batch = 0; running.get(); batch++) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          String id = "tx-" + System.nanoTime() + "-" + batch + "-" + i;
          Message m = s.createTextMessage(id);
          m.setStringProperty("key", id);
          p.send(m);
          ids.add(id);
        }
        if (batch % 3 == 0) {
          rolledBack.addAll(ids);
          s.rollback();
        } else {
          s.commit();
          acked.addAll(ids);
        }
      }
    } catch (JMSException | RuntimeException e) {
      // the broker was killed
    }
  }

  private void consume(int port, String queue, AtomicBoolean running) {
    try (Connection c = connect(port)) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
      while (running.get()) {
        record(consumer.receive(100));
      }
    } catch (JMSException | RuntimeException e) {
      // the broker was killed
    }
  }

  private void record(Message m) throws JMSException {
    if (m != null && !received.add(m.getStringProperty("key"))) {
      duplicates.incrementAndGet();
      if (!m.getJMSRedelivered()) {
        unflaggedDuplicates.add(m.getStringProperty("key"));
      }
    }
  }

  private void drain(int port, String queue) throws JMSException {
    try (Connection c = connect(port)) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
      Message m;
      while ((m = consumer.receive(2000)) != null) {
        record(m);
      }
    }
  }
}
