package io.tandem.broker.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.TestBroker;
import io.tandem.testing.Await;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueMessagingTest {
  @TempDir Path dir;
  TestBroker broker;
  Connection connection;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(
        dir.resolve("queues.conf"),
        ">\nlimited  maxmsgs=2\nold  maxmsgs=2,overflowPolicy=discardOld\nfragile  maxRedelivery=2\nfixed.only\n");
    broker = TestBroker.start(dir, "queues = queues.conf");
    connection = broker.connect();
  }

  @AfterEach
  void stop() throws Exception {
    connection.close();
    broker.close();
  }

  @Test
  void shouldDeliverPersistentAndNonPersistentMessagesInOrder() throws Exception {
    Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    Queue q = s.createQueue("orders");
    MessageProducer p = s.createProducer(q);
    p.send(s.createTextMessage("one"), DeliveryMode.PERSISTENT, 4, 0);
    p.send(s.createTextMessage("two"), DeliveryMode.NON_PERSISTENT, 4, 0);
    MessageConsumer c = s.createConsumer(q);
    TextMessage first = (TextMessage) c.receive(5000);
    TextMessage second = (TextMessage) c.receive(5000);
    assertEquals("one", first.getText());
    assertEquals(DeliveryMode.PERSISTENT, first.getJMSDeliveryMode());
    assertEquals("two", second.getText());
    assertEquals(DeliveryMode.NON_PERSISTENT, second.getJMSDeliveryMode());
    assertFalse(first.getJMSRedelivered());
    assertNull(c.receiveNoWait());
  }

  @Test
  void shouldConsumeInDupsOkMode() throws Exception {
    Session s = connection.createSession(false, Session.DUPS_OK_ACKNOWLEDGE);
    Queue q = s.createQueue("dupsok");
    MessageProducer p = s.createProducer(q);
    for (int i = 0; i < 20; i++) {
      p.send(s.createTextMessage("d" + i));
    }
    MessageConsumer c = s.createConsumer(q);
    for (int i = 0; i < 20; i++) {
      assertEquals("d" + i, ((TextMessage) c.receive(5000)).getText());
    }
    c.close();
    Await.until(
        "acknowledgements to reach the broker",
        java.time.Duration.ofSeconds(5),
        () -> stats("dupsok").messages() == 0);
  }

  @Test
  void shouldCarryBodiesAndPropertiesUnchanged() throws Exception {
    Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    Queue q = s.createQueue("bodies");
    MessageProducer p = s.createProducer(q);
    BytesMessage bm = s.createBytesMessage();
    byte[] payload = new byte[300_000];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) i;
    }
    bm.writeBytes(payload);
    bm.setStringProperty("color", "red");
    bm.setIntProperty("size", 7);
    bm.setJMSCorrelationID("corr-1");
    bm.setJMSType("invoice");
    p.send(bm);
    Message got = s.createConsumer(q).receive(5000);
    BytesMessage r = (BytesMessage) got;
    byte[] back = new byte[(int) r.getBodyLength()];
    r.readBytes(back);
    assertTrue(java.util.Arrays.equals(payload, back));
    assertEquals("red", got.getStringProperty("color"));
    assertEquals(7, got.getIntProperty("size"));
    assertEquals("corr-1", got.getJMSCorrelationID());
    assertEquals("invoice", got.getJMSType());
  }

  @Test
  void shouldShareMessagesFairlyBetweenCompetingConsumers() throws Exception {
    JmsConnectionFactory f = broker.factory("jms.prefetchPolicy.all=1");
    try (Connection c2 = f.createConnection()) {
      c2.start();
      Session s1 = c2.createSession(false, Session.CLIENT_ACKNOWLEDGE);
      Session s2 = c2.createSession(false, Session.CLIENT_ACKNOWLEDGE);
      Queue q = s1.createQueue("work");
      MessageConsumer a = s1.createConsumer(q);
      MessageConsumer b = s2.createConsumer(q);
      MessageProducer p = s1.createProducer(q);
      for (int i = 0; i < 10; i++) {
        p.send(s1.createTextMessage("m" + i));
      }
      int fromA = 0;
      int fromB = 0;
      for (int i = 0; i < 5; i++) {
        Message ma = a.receive(5000);
        Message mb = b.receive(5000);
        assertNotNull(ma);
        assertNotNull(mb);
        ma.acknowledge();
        mb.acknowledge();
        fromA++;
        fromB++;
      }
      assertEquals(5, fromA);
      assertEquals(5, fromB);
    }
  }

  @Test
  void shouldHonourPrefetchSoOthersGetTheRest() throws Exception {
    JmsConnectionFactory f = broker.factory("jms.prefetchPolicy.all=2");
    try (Connection c2 = f.createConnection()) {
      c2.start();
      Session s = c2.createSession(false, Session.CLIENT_ACKNOWLEDGE);
      Queue q = s.createQueue("prefetch");
      MessageProducer p = s.createProducer(q);
      for (int i = 0; i < 6; i++) {
        p.send(s.createTextMessage("m" + i));
      }
      MessageConsumer greedy = s.createConsumer(q);
      Await.until(
          "two messages unacknowledged",
          java.time.Duration.ofSeconds(5),
          () -> stats("prefetch").unacknowledged() == 2);
      assertEquals(4, stats("prefetch").pending());
      assertNotNull(greedy.receive(5000));
    }
  }

  private io.tandem.broker.destination.QueueStats stats(String name) {
    return broker.broker().destinations().queueStats().stream()
        .filter(q -> q.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void shouldBrowseWithoutConsuming() throws Exception {
    Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    Queue q = s.createQueue("browse");
    MessageProducer p = s.createProducer(q);
    for (int i = 0; i < 3; i++) {
      p.send(s.createTextMessage("b" + i));
    }
    QueueBrowser browser = s.createBrowser(q);
    List<String> seen = new ArrayList<>();
    Enumeration<?> e = browser.getEnumeration();
    while (e.hasMoreElements()) {
      seen.add(((TextMessage) e.nextElement()).getText());
    }
    browser.close();
    assertEquals(List.of("b0", "b1", "b2"), seen);
    MessageConsumer c = s.createConsumer(q);
    assertEquals("b0", ((TextMessage) c.receive(5000)).getText());
  }

  @Test
  void shouldDeliverHigherPriorityFirst() throws Exception {
    Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    Queue q = s.createQueue("prio");
    MessageProducer p = s.createProducer(q);
    p.send(s.createTextMessage("low"), DeliveryMode.PERSISTENT, 1, 0);
    p.send(s.createTextMessage("high"), DeliveryMode.PERSISTENT, 9, 0);
    p.send(s.createTextMessage("normal"), DeliveryMode.PERSISTENT, 4, 0);
    MessageConsumer c = s.createConsumer(q);
    assertEquals("high", ((TextMessage) c.receive(5000)).getText());
    assertEquals("normal", ((TextMessage) c.receive(5000)).getText());
    assertEquals("low", ((TextMessage) c.receive(5000)).getText());
  }

  @Test
  void shouldNotDeliverExpiredMessages() throws Exception {
    Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    Queue q = s.createQueue("ttl");
    MessageProducer p = s.createProducer(q);
    p.send(s.createTextMessage("short"), DeliveryMode.PERSISTENT, 4, 50);
    p.send(s.createTextMessage("long"), DeliveryMode.PERSISTENT, 4, 60_000);
    long sent = System.currentTimeMillis();
    Await.until(
        "ttl to pass",
        java.time.Duration.ofSeconds(5),
        () -> System.currentTimeMillis() - sent > 200);
    MessageConsumer c = s.createConsumer(q);
    assertEquals("long", ((TextMessage) c.receive(5000)).getText());
    assertNull(c.receive(200));
  }

  @Test
  void shouldFilterWithSelectors() throws Exception {
    Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    Queue q = s.createQueue("select");
    MessageProducer p = s.createProducer(q);
    for (String color : List.of("red", "blue", "red", "green")) {
      TextMessage m = s.createTextMessage(color);
      m.setStringProperty("color", color);
      p.send(m, DeliveryMode.PERSISTENT, color.equals("green") ? 7 : 4, 0);
    }
    MessageConsumer reds = s.createConsumer(q, "color = 'red' AND JMSDeliveryMode = 'PERSISTENT'");
    assertEquals("red", ((TextMessage) reds.receive(5000)).getText());
    assertEquals("red", ((TextMessage) reds.receive(5000)).getText());
    assertNull(reds.receive(200));
    MessageConsumer urgent = s.createConsumer(q, "JMSPriority > 5");
    assertEquals("green", ((TextMessage) urgent.receive(5000)).getText());
  }

  @Test
  void shouldAnswerRequestsThroughTemporaryQueues() throws Exception {
    Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    Queue requests = s.createQueue("requests");
    MessageConsumer server = s.createConsumer(requests);
    server.setMessageListener(
        m -> {
          try {
            Session rs = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage reply = rs.createTextMessage("re: " + ((TextMessage) m).getText());
            reply.setJMSCorrelationID(m.getJMSMessageID());
            rs.createProducer(m.getJMSReplyTo()).send(reply);
            rs.close();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    TemporaryQueue replies = s.createTemporaryQueue();
    TextMessage request = s.createTextMessage("ping");
    request.setJMSReplyTo(replies);
    s.createProducer(requests).send(request);
    Session clientSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    TextMessage reply = (TextMessage) clientSession.createConsumer(replies).receive(5000);
    assertEquals("re: ping", reply.getText());
    assertEquals(request.getJMSMessageID(), reply.getJMSCorrelationID());
  }

  @Test
  void shouldRedeliverAfterRecoverWithRedeliveredFlagAndCount() throws Exception {
    Session s = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
    Queue q = s.createQueue("recover");
    s.createProducer(q).send(s.createTextMessage("again"));
    MessageConsumer c = s.createConsumer(q);
    Message first = c.receive(5000);
    assertFalse(first.getJMSRedelivered());
    assertEquals(1, first.getIntProperty("JMSXDeliveryCount"));
    s.recover();
    Message second = c.receive(5000);
    assertTrue(second.getJMSRedelivered());
    assertEquals(2, second.getIntProperty("JMSXDeliveryCount"));
    second.acknowledge();
  }

  @Test
  void shouldMoveToUndeliveredAfterMaxRedelivery() throws Exception {
    Session s = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
    Queue q = s.createQueue("fragile");
    s.createProducer(q).send(s.createTextMessage("poison"));
    for (int attempt = 1; attempt <= 2; attempt++) {
      try (Connection c = broker.connect()) {
        Session cs = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Message m = cs.createConsumer(q).receive(5000);
        assertEquals(attempt, m.getIntProperty("JMSXDeliveryCount"));
        assertEquals(attempt > 1, m.getJMSRedelivered());
      }
    }
    MessageConsumer c = s.createConsumer(q);
    Message again = c.receive(300);
    assertNull(again, () -> "delivered again: " + describe(again));
    MessageConsumer dlq = s.createConsumer(s.createQueue("$sys.undelivered"));
    Message dead = dlq.receive(5000);
    assertEquals("poison", ((TextMessage) dead).getText());
    assertEquals("fragile", dead.getStringProperty("JMS_TANDEM_UNDELIVERED_ORIGIN"));
    assertTrue(dead.getStringProperty("JMS_TANDEM_UNDELIVERED_REASON").contains("maxRedelivery 2"));
    dead.acknowledge();
  }

  private static String describe(Message m) {
    try {
      return m.getJMSRedelivered() + " count=" + m.getIntProperty("JMSXDeliveryCount");
    } catch (jakarta.jms.JMSException e) {
      return e.toString();
    }
  }

  @Test
  void shouldRefuseSendsToAFullQueue() throws Exception {
    Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    MessageProducer p = s.createProducer(s.createQueue("limited"));
    p.send(s.createTextMessage("1"));
    p.send(s.createTextMessage("2"));
    assertThrows(
        jakarta.jms.ResourceAllocationException.class, () -> p.send(s.createTextMessage("3")));
  }

  @Test
  void shouldDiscardOldestWhenPolicyIsDiscardOld() throws Exception {
    Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    Queue q = s.createQueue("old");
    MessageProducer p = s.createProducer(q);
    for (int i = 1; i <= 4; i++) {
      p.send(s.createTextMessage("m" + i));
    }
    MessageConsumer c = s.createConsumer(q);
    assertEquals("m3", ((TextMessage) c.receive(5000)).getText());
    assertEquals("m4", ((TextMessage) c.receive(5000)).getText());
  }

  @Test
  void shouldRefuseQueuesTheConfigurationDoesNotAllow() throws Exception {
    Files.writeString(dir.resolve("strict.conf"), "fixed.only\n");
    try (TestBroker strict = TestBroker.start(dir.resolve("strict"), "queues = ../strict.conf");
        Connection c = strict.connect()) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      assertThrows(
          InvalidDestinationException.class, () -> s.createConsumer(s.createQueue("other")));
      assertThrows(
          InvalidDestinationException.class, () -> s.createProducer(s.createQueue("other")));
      s.createProducer(s.createQueue("fixed.only")).send(s.createTextMessage("ok"));
    }
  }

  @Test
  void shouldRouteAnonymousProducerSendsByDestination() throws Exception {
    Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    MessageProducer anon = s.createProducer(null);
    Map<String, Queue> queues = new HashMap<>();
    for (String name : List.of("anon.a", "anon.b")) {
      queues.put(name, s.createQueue(name));
      anon.send(queues.get(name), s.createTextMessage(name));
    }
    for (String name : Collections.unmodifiableMap(queues).keySet()) {
      assertEquals(
          name, ((TextMessage) s.createConsumer(queues.get(name)).receive(5000)).getText());
    }
  }
}
