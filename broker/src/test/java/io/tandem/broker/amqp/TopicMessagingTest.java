package io.tandem.broker.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tandem.broker.TestBroker;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.nio.file.Path;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicMessagingTest {
  @TempDir Path dir;
  TestBroker broker;

  @BeforeEach
  void start() {
    broker = TestBroker.start(dir);
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private Connection connect(String clientId) throws Exception {
    JmsConnectionFactory f = broker.factory("");
    Connection c = f.createConnection();
    if (clientId != null) {
      c.setClientID(clientId);
    }
    c.start();
    return c;
  }

  private static String text(jakarta.jms.Message m) throws Exception {
    assertNotNull(m, "no message received");
    return ((TextMessage) m).getText();
  }

  @Test
  void shouldGiveEverySubscriberACopy() throws Exception {
    try (Connection c = connect(null)) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Topic t = s.createTopic("prices.eur");
      MessageConsumer a = s.createConsumer(t);
      MessageConsumer b = s.createConsumer(t);
      s.createProducer(t).send(s.createTextMessage("1.08"));
      assertEquals("1.08", text(a.receive(5000)));
      assertEquals("1.08", text(b.receive(5000)));
    }
  }

  @Test
  void shouldMatchWildcardSubscriptions() throws Exception {
    try (Connection c = connect(null)) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer star = s.createConsumer(s.createTopic("prices.*"));
      MessageConsumer rest = s.createConsumer(s.createTopic("prices.>"));
      MessageProducer p = s.createProducer(null);
      p.send(s.createTopic("prices.usd"), s.createTextMessage("usd"));
      p.send(s.createTopic("prices.usd.spot"), s.createTextMessage("spot"));
      p.send(s.createTopic("other"), s.createTextMessage("other"));
      assertEquals("usd", text(star.receive(5000)));
      assertNull(star.receive(200));
      assertEquals("usd", text(rest.receive(5000)));
      assertEquals("spot", text(rest.receive(5000)));
    }
  }

  @Test
  void shouldKeepDurableSubscriptionAcrossReconnectAndRemoveItOnUnsubscribe() throws Exception {
    try (Connection c = connect("client-1")) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      s.createDurableSubscriber(s.createTopic("news"), "sub").close();
    }
    try (Connection p = connect(null)) {
      Session s = p.createSession(false, Session.AUTO_ACKNOWLEDGE);
      s.createProducer(s.createTopic("news")).send(s.createTextMessage("while away"));
    }
    try (Connection c = connect("client-1")) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer sub = s.createDurableSubscriber(s.createTopic("news"), "sub");
      assertEquals("while away", text(sub.receive(5000)));
      sub.close();
      s.unsubscribe("sub");
      assertThrows(InvalidDestinationException.class, () -> s.unsubscribe("sub"));
    }
    assertEquals(0, broker.broker().destinations().subscriptionStats().size());
  }

  @Test
  void shouldReopenADurableSubscriberJustClosedInTheSameSession() throws Exception {
    // closing a durable subscriber detaches its link, named for the subscription; opening it again
    // in the same session attaches that name again, which the broker must answer
    JmsConnectionFactory f = broker.factory("jms.requestTimeout=10000");
    try (Connection c = f.createConnection()) {
      c.setClientID("client-3");
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Topic t = s.createTopic("reopened");
      s.createDurableSubscriber(t, "again").close();
      s.createProducer(t).send(s.createTextMessage("while closed"));

      MessageConsumer again = s.createDurableSubscriber(t, "again");

      assertEquals("while closed", text(again.receive(5000)));
      again.close();
      s.unsubscribe("again");
    }
  }

  @Test
  void shouldRefuseASecondConnectionWithTheSameClientId() throws Exception {
    try (Connection c = connect("client-2");
        Connection other = connect(null)) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      s.createDurableConsumer(s.createTopic("alerts"), "only");
      assertThrows(
          jakarta.jms.JMSException.class,
          () -> {
            try (Connection dup = broker.factory("").createConnection()) {
              dup.setClientID("client-2");
              dup.start();
            }
          });
      assertNotNull(other);
    }
  }

  @Test
  void shouldShareDurableAndNonDurableSharedSubscriptions() throws Exception {
    JmsConnectionFactory f = broker.factory("jms.prefetchPolicy.all=1");
    try (JMSContext ctx1 = f.createContext();
        JMSContext ctx2 = f.createContext()) {
      Topic t = ctx1.createTopic("orders.new");
      JMSConsumer d1 = ctx1.createSharedDurableConsumer(t, "billing");
      JMSConsumer d2 = ctx2.createSharedDurableConsumer(t, "billing");
      JMSConsumer v1 = ctx1.createSharedConsumer(t, "audit");
      JMSConsumer v2 = ctx2.createSharedConsumer(t, "audit");
      for (int i = 0; i < 4; i++) {
        ctx1.createProducer().send(t, "o" + i);
      }
      int billing = 0;
      int audit = 0;
      for (JMSConsumer c : new JMSConsumer[] {d1, d2}) {
        while (c.receiveBody(String.class, 500) != null) {
          billing++;
        }
      }
      for (JMSConsumer c : new JMSConsumer[] {v1, v2}) {
        while (c.receiveBody(String.class, 500) != null) {
          audit++;
        }
      }
      assertEquals(4, billing, "each message once across the shared durable subscription");
      assertEquals(4, audit, "each message once across the shared subscription");
      d1.close();
      d2.close();
      ctx1.unsubscribe("billing");
    }
  }

  @Test
  void shouldSkipOwnMessagesWithNoLocal() throws Exception {
    try (Connection c = connect(null);
        Connection other = connect(null)) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Topic t = s.createTopic("chat");
      MessageConsumer noLocal = s.createConsumer(t, null, true);
      s.createProducer(t).send(s.createTextMessage("mine"));
      Session os = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
      os.createProducer(t).send(s.createTextMessage("theirs"));
      assertEquals("theirs", text(noLocal.receive(5000)));
      assertNull(noLocal.receive(200));
    }
  }

  @Test
  void shouldApplySelectorsOnTopicSubscriptions() throws Exception {
    try (Connection c = connect(null)) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Topic t = s.createTopic("events");
      MessageConsumer big = s.createConsumer(t, "amount > 100");
      MessageProducer p = s.createProducer(t);
      for (int amount : new int[] {50, 500}) {
        TextMessage m = s.createTextMessage("a" + amount);
        m.setIntProperty("amount", amount);
        p.send(m, DeliveryMode.NON_PERSISTENT, 4, 0);
      }
      assertEquals("a500", text(big.receive(5000)));
      assertNull(big.receive(200));
    }
  }

  @Test
  void shouldUseTemporaryTopics() throws Exception {
    try (Connection c = connect(null)) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Topic tmp = s.createTemporaryTopic();
      MessageConsumer sub = s.createConsumer(tmp);
      s.createProducer(tmp).send(s.createTextMessage("hello"));
      assertEquals("hello", text(sub.receive(5000)));
    }
  }
}
