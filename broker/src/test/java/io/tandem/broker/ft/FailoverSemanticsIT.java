package io.tandem.broker.ft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.Await;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TransactionRolledBackException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a Qpid JMS application sees across one SIGKILL failover: durable subscriptions continue, an
 * open transaction fails at commit and leaves nothing behind, unacknowledged messages come back
 * flagged as redelivered.
 */
class FailoverSemanticsIT {
  private static final Duration START = Duration.ofSeconds(60);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @AfterEach
  void stopEverything() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  @Test
  void shouldKeepDurableSubscriptionsRedeliverAndRollBackOpenTransactions() throws Exception {
    List<Member> pair =
        Member.pair(dir, "semantics", "ft_heartbeat = 200msec\nft_activation = 1sec\n");
    cleanup.addAll(pair);
    Member a = pair.get(0).start();
    Await.until("a serves", START, () -> a.health() == 200);
    Member b = pair.get(1).start();
    Await.until("b is backup", START, () -> b.paired());

    JmsConnectionFactory f = new JmsConnectionFactory(Member.failoverUri(a, b));
    Connection c = f.createConnection();
    cleanup.add(c::close);
    c.setClientID("semantics-client");
    c.start();
    Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
    MessageConsumer durable = s.createDurableSubscriber(s.createTopic("ft.news"), "sub1");
    MessageProducer publisher = s.createProducer(s.createTopic("ft.news"));
    publisher.setDeliveryMode(DeliveryMode.PERSISTENT);
    for (int i = 0; i < 4; i++) {
      publisher.send(s.createTextMessage("news-" + i));
    }
    Message first = durable.receive(10_000);
    assertNotNull(first);
    first.acknowledge();
    Message unacked = durable.receive(10_000);
    assertEquals("news-1", ((TextMessage) unacked).getText());

    Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
    MessageProducer txProducer = tx.createProducer(tx.createQueue("ft.tx"));
    txProducer.setDeliveryMode(DeliveryMode.PERSISTENT);
    txProducer.send(tx.createTextMessage("in-doubt"));

    String backupMetrics = b.metrics();
    assertTrue(backupMetrics.contains("tandem_role{role=\"backup\"} 1.0"), backupMetrics);
    assertTrue(backupMetrics.contains("tandem_ft_peer_connected 1.0"), backupMetrics);
    a.kill();
    Await.until("b takes over", START, () -> b.health() == 200);
    String primaryMetrics = b.metrics();
    assertTrue(primaryMetrics.contains("tandem_role{role=\"active\"} 1.0"), primaryMetrics);
    assertTrue(primaryMetrics.contains("tandem_ft_activations_total 1.0"), primaryMetrics);

    assertThrows(TransactionRolledBackException.class, tx::commit);
    List<String> after = new ArrayList<>();
    List<Boolean> redelivered = new ArrayList<>();
    List<Integer> deliveryCounts = new ArrayList<>();
    for (Message m = durable.receive(10_000); m != null; m = durable.receive(1_000)) {
      after.add(((TextMessage) m).getText());
      redelivered.add(m.getJMSRedelivered());
      deliveryCounts.add(m.getIntProperty("JMSXDeliveryCount"));
      m.acknowledge();
    }
    assertEquals(List.of("news-1", "news-2", "news-3"), after, "the durable subscription kept");
    assertTrue(redelivered.get(0), "the unacknowledged message comes back flagged");
    assertTrue(deliveryCounts.get(0) >= 2, "its delivery count went up: " + deliveryCounts);
    publisher.send(s.createTextMessage("news-4"));
    Message fresh = durable.receive(10_000);
    assertEquals("news-4", ((TextMessage) fresh).getText());
    fresh.acknowledge();

    MessageConsumer txQueue = s.createConsumer(s.createQueue("ft.tx"));
    assertNull(txQueue.receive(1_000), "nothing of the rolled-back transaction is visible");
    txProducer.send(tx.createTextMessage("committed"));
    tx.commit();
    Message committed = txQueue.receive(10_000);
    assertEquals("committed", ((TextMessage) committed).getText());
    committed.acknowledge();
  }
}
