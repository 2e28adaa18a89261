package io.tandem.broker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.Await;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker process writing failsafe messages while another process (this test) raises the epoch:
 * the broker's sends fail, it exits with status 3 and one FENCED line, and the store afterwards
 * holds exactly what the new epoch recovered.
 */
class BrokerFencingTest {
  @TempDir Path dir;

  @Test
  void shouldExitAsFencedWhenAnotherProcessRaisesTheEpoch() throws Exception {
    int port = BrokerProcess.freePort();
    Files.writeString(dir.resolve("queues.conf"), "fenced.q  failsafe\n");
    Files.writeString(dir.resolve("topics.conf"), ">\n");
    Path config = dir.resolve("tandem.conf");
    Files.writeString(
        config,
        "listen = amqp://127.0.0.1:"
            + port
            + "\nadmin_listen = http://127.0.0.1:"
            + BrokerProcess.freePort()
            + "\nstore = store\nstore_minimum = 1MB\nqueues = queues.conf\ntopics = topics.conf\n");
    Path store = dir.resolve("store");
    Path log = dir.resolve("broker.log");
    AtomicInteger acked = new AtomicInteger();
    AtomicReference<Exception> sendFailure = new AtomicReference<>();
    try (BrokerProcess broker = BrokerProcess.start(config, log, port)) {
      Thread producer = new Thread(() -> produce(port, acked, sendFailure));
      producer.setDaemon(true);
      producer.start();
      Await.until("sends acknowledged", StoreFixture.WAIT, () -> acked.get() > 200);
      Recovered[] r = new Recovered[1];
      try (JournalStore other = StoreFixture.open(StoreFixture.options(store, 2), r)) {
        assertEquals(3, broker.awaitExit(Duration.ofSeconds(30)), "exit status; log: " + log);
        producer.join(30_000);
        assertTrue(sendFailure.get() != null, "the producer never saw an error");
        int ackedAtExit = acked.get();
        assertTrue(
            r[0].messages().size() >= ackedAtExit,
            r[0].messages().size() + " recovered < " + ackedAtExit + " acknowledged");
        String text = Files.readString(log);
        assertTrue(
            text.contains(
                "FENCED: store fence moved from 1 to 2; another broker owns the store; stopping"),
            text);
        assertEquals(JournalStore.State.SERVING, other.state());
      }
      Recovered[] after = new Recovered[1];
      try (JournalStore third = StoreFixture.reopen(store, after)) {
        assertEquals(StoreFixture.ids(r[0]), StoreFixture.ids(after[0]));
        assertEquals(JournalStore.State.SERVING, third.state());
      }
    }
  }

  private static void produce(int port, AtomicInteger acked, AtomicReference<Exception> failure) {
    try (Connection c = new JmsConnectionFactory("amqp://127.0.0.1:" + port).createConnection()) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer p = s.createProducer(s.createQueue("fenced.q"));
      p.setDeliveryMode(DeliveryMode.PERSISTENT);
      while (true) {
        p.send(s.createTextMessage("m" + acked.get()));
        acked.incrementAndGet();
      }
    } catch (JMSException | RuntimeException e) {
      failure.set(e);
    }
  }
}
