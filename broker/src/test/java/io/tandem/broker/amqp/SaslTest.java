package io.tandem.broker.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.BrokerException;
import io.tandem.broker.TestBroker;
import io.tandem.broker.TestUsers;
import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SaslTest {
  private static final Pattern DERIVATIONS =
      Pattern.compile("^tandem_password_derivations_total\\S* ([0-9.E]+)$", Pattern.MULTILINE);

  @TempDir Path dir;

  /** The JMSXUserID a message sent on {@code c} arrives with. */
  private static String userIdOfAMessageSentOn(Connection c) throws Exception {
    c.start();
    Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
    Queue q = s.createQueue("sasl.user." + System.nanoTime());
    MessageConsumer consumer = s.createConsumer(q);
    s.createProducer(q).send(s.createTextMessage("who"));
    Message m = consumer.receive(10_000);
    assertNotNull(m, "message came back");
    return m.getStringProperty("JMSXUserID");
  }

  @Test
  void shouldAcceptAnonymousAndAnyPlainUserWithoutUsersFile() throws Exception {
    try (TestBroker broker = TestBroker.start(dir, "allow_plain_without_tls = enabled")) {
      try (Connection c = broker.factory("amqp.saslMechanisms=ANONYMOUS").createConnection()) {
        assertNull(userIdOfAMessageSentOn(c), "an ANONYMOUS connection has no user");
      }
      try (Connection c =
          broker.factory("amqp.saslMechanisms=PLAIN").createConnection("anyone", "anything")) {
        assertEquals("anyone", userIdOfAMessageSentOn(c), "the PLAIN user is taken as given");
      }
    }
  }

  @Test
  void shouldNotOfferPlainWithoutTlsUnlessAllowed() throws Exception {
    try (TestBroker broker = TestBroker.start(dir)) {
      JmsConnectionFactory plain = broker.factory("amqp.saslMechanisms=PLAIN");
      assertThrows(JMSSecurityException.class, () -> plain.createConnection("anyone", "x").start());
      // a client that offers more falls back to ANONYMOUS, which is allowed without a users file
      try (Connection c = broker.factory("").createConnection("anyone", "anything")) {
        assertNull(userIdOfAMessageSentOn(c));
      }
    }
  }

  @Test
  void shouldCheckPlainCredentialsAgainstTheUsersFileWhenAllowedWithoutTls() throws Exception {
    Files.writeString(
        dir.resolve("users"),
        "# name:password\nalice:secret\nbob:{sha256}2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b\n");
    try (TestBroker broker =
        TestBroker.start(dir, "users = users", "allow_plain_without_tls = enabled")) {
      JmsConnectionFactory plain = broker.factory("amqp.saslMechanisms=PLAIN");
      try (Connection c = plain.createConnection("alice", "secret")) {
        assertEquals("alice", userIdOfAMessageSentOn(c));
      }
      try (Connection c = plain.createConnection("bob", "secret")) {
        c.start();
      }
      assertThrows(
          JMSSecurityException.class, () -> plain.createConnection("alice", "wrong").start());
      assertThrows(
          JMSSecurityException.class, () -> plain.createConnection("mallory", "secret").start());
      assertThrows(JMSSecurityException.class, () -> broker.factory("").createConnection().start());
    }
  }

  @Test
  void shouldAuthenticateWithScramSha256AndSha512() throws Exception {
    TestUsers.write(dir.resolve("users.conf"), "alice", "s3cret", "bob", "other");
    try (TestBroker broker =
        TestBroker.start(dir, "authorization = enabled", "users = users.conf")) {
      for (String mech : new String[] {"SCRAM-SHA-256", "SCRAM-SHA-512"}) {
        JmsConnectionFactory f = broker.factory("amqp.saslMechanisms=" + mech);
        try (Connection c = f.createConnection("alice", "s3cret")) {
          assertEquals("alice", userIdOfAMessageSentOn(c), mech);
        }
        assertThrows(
            JMSSecurityException.class, () -> f.createConnection("alice", "wrong").start(), mech);
        assertThrows(
            JMSSecurityException.class, () -> f.createConnection("nobody", "s3cret").start(), mech);
      }
      // Qpid JMS picks the strongest mechanism offered: SCRAM-SHA-512
      try (Connection c = broker.factory("").createConnection("bob", "other")) {
        assertEquals("bob", userIdOfAMessageSentOn(c));
      }
    }
  }

  @Test
  void shouldRefuseAnonymousWhenAuthorizationIsEnabled() throws Exception {
    TestUsers.write(dir.resolve("users.conf"), "alice", "s3cret");
    try (TestBroker broker =
        TestBroker.start(dir, "authorization = enabled", "users = users.conf")) {
      assertThrows(
          JMSSecurityException.class,
          () -> broker.factory("amqp.saslMechanisms=ANONYMOUS").createConnection().start());
      assertThrows(JMSSecurityException.class, () -> broker.factory("").createConnection().start());
    }
  }

  @Test
  void shouldCostOneDerivationForAWrongPasswordAndForAnUnknownUser() throws Exception {
    TestUsers.write(dir.resolve("users.conf"), "alice", "s3cret");
    try (TestBroker broker =
        TestBroker.start(
            dir,
            "authorization = enabled",
            "users = users.conf",
            "allow_plain_without_tls = enabled")) {
      JmsConnectionFactory plain = broker.factory("amqp.saslMechanisms=PLAIN");
      long wrongPassword = derivationsFor(broker, plain, "alice", "wrong");
      long unknownUser = derivationsFor(broker, plain, "nobody", "wrong");
      assertEquals(1, wrongPassword, "a wrong password costs one derivation");
      assertEquals(wrongPassword, unknownUser, "an unknown user costs what a wrong password costs");
      // SCRAM: the client derives, the server only compares; an unknown user is no cheaper
      JmsConnectionFactory scram = broker.factory("amqp.saslMechanisms=SCRAM-SHA-256");
      assertEquals(
          derivationsFor(broker, scram, "alice", "wrong"),
          derivationsFor(broker, scram, "nobody", "wrong"));
    }
  }

  private static long derivationsFor(
      TestBroker broker, JmsConnectionFactory f, String user, String password) {
    long before = derivations(broker);
    assertThrows(JMSSecurityException.class, () -> f.createConnection(user, password).start());
    return derivations(broker) - before;
  }

  private static long derivations(TestBroker broker) {
    String body = broker.get("/metrics").body();
    Matcher m = DERIVATIONS.matcher(body);
    assertTrue(m.find(), "metrics show tandem_password_derivations_total");
    return (long) Double.parseDouble(m.group(1));
  }

  @Test
  void shouldRefuseAPlaintextPasswordWhenAuthorizationIsEnabled() throws Exception {
    Files.writeString(dir.resolve("users.conf"), "# users\nalice:secret\n");
    BrokerException e =
        assertThrows(
            BrokerException.class,
            () -> TestBroker.start(dir, "authorization = enabled", "users = users.conf"));
    assertEquals(BrokerException.Category.CONFIG, e.category());
    assertTrue(
        e.getMessage().contains("users.conf:2: user 'alice' has a plaintext password"),
        e.getMessage());
  }
}
