package io.tandem.broker.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.TestBroker;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransactionTest {
  @TempDir Path dir;
  TestBroker broker;
  Connection connection;

  @BeforeEach
  void start() throws Exception {
    broker = TestBroker.start(dir);
    connection = broker.connect();
  }

  @AfterEach
  void stop() throws Exception {
    connection.close();
    broker.close();
  }

  @Test
  void shouldMakeSendsVisibleOnlyAtCommit() throws Exception {
    Session tx = connection.createSession(true, Session.SESSION_TRANSACTED);
    Session plain = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    Queue q = tx.createQueue("tx.sends");
    MessageProducer p = tx.createProducer(q);
    p.send(tx.createTextMessage("a"));
    p.send(tx.createTextMessage("b"));
    MessageConsumer c = plain.createConsumer(q);
    assertNull(c.receive(200));
    tx.commit();
    assertEquals("a", ((TextMessage) c.receive(5000)).getText());
    assertEquals("b", ((TextMessage) c.receive(5000)).getText());
  }

  @Test
  void shouldDiscardSendsOnRollback() throws Exception {
    Session tx = connection.createSession(true, Session.SESSION_TRANSACTED);
    Queue q = tx.createQueue("tx.rollback");
    tx.createProducer(q).send(tx.createTextMessage("gone"));
    tx.rollback();
    tx.createProducer(q).send(tx.createTextMessage("kept"));
    tx.commit();
    MessageConsumer c = connection.createSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(q);
    assertEquals("kept", ((TextMessage) c.receive(5000)).getText());
    assertNull(c.receive(200));
  }

  @Test
  void shouldRedeliverConsumedMessagesAfterRollbackAndRemoveThemAfterCommit() throws Exception {
    Session plain = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    Queue q = plain.createQueue("tx.consume");
    plain.createProducer(q).send(plain.createTextMessage("work"));
    Session tx = connection.createSession(true, Session.SESSION_TRANSACTED);
    MessageConsumer c = tx.createConsumer(q);
    Message first = c.receive(5000);
    assertNotNull(first);
    tx.rollback();
    Message again = c.receive(5000);
    assertNotNull(again);
    assertTrue(again.getJMSRedelivered());
    tx.commit();
    c.close();
    MessageConsumer check = plain.createConsumer(q);
    assertNull(check.receive(300));
    assertEquals(
        0,
        broker.broker().destinations().queueStats().stream()
            .filter(s -> s.name().equals("tx.consume"))
            .findFirst()
            .orElseThrow()
            .messages());
  }

  @Test
  void shouldCommitSendsAndAcknowledgementsTogether() throws Exception {
    Session plain = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    Queue in = plain.createQueue("tx.in");
    Queue out = plain.createQueue("tx.out");
    plain.createProducer(in).send(plain.createTextMessage("x"));
    Session tx = connection.createSession(true, Session.SESSION_TRANSACTED);
    Message m = tx.createConsumer(in).receive(5000);
    tx.createProducer(out).send(tx.createTextMessage("processed " + ((TextMessage) m).getText()));
    tx.commit();
    assertEquals("processed x", ((TextMessage) plain.createConsumer(out).receive(5000)).getText());
    assertNull(plain.createConsumer(in).receive(300));
  }
}
