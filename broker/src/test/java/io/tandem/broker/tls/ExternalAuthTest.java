package io.tandem.broker.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.config.ConfigLoader;
import io.tandem.broker.security.StoredPassword;
import io.tandem.broker.server.Broker;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SASL EXTERNAL on a real {@code amqps://} listener: Qpid JMS presents a client certificate, the
 * broker maps its subject's CN to the user, and authorization treats that user as any other.
 */
class ExternalAuthTest {
  @TempDir Path dir;
  private TestPki pki;
  private TestPki clients;
  private Broker broker;

  @BeforeEach
  void start() throws Exception {
    pki = TestPki.create(dir, "ca");
    pki.issue("server");
    clients = TestPki.create(dir.resolve("clients"), "clients");
    String bob = StoredPassword.derive("bob-pw".toCharArray(), 4096, new SecureRandom()).encode();
    Files.writeString(dir.resolve("users.conf"), "bob:" + bob + "\n");
    Files.writeString(dir.resolve("queues.conf"), "ext.>  secure\n>\n");
    Files.writeString(
        dir.resolve("acl.conf"),
        "USER=alice QUEUE=ext.> PERM=send\nUSER=bob QUEUE=ext.> PERM=receive\n");
    Files.writeString(
        dir.resolve("tandem.conf"),
        "server = ext\nstore = store\nadmin_listen = http://127.0.0.1:0\n"
            + "listen = amqps://127.0.0.1:0\n"
            + "ssl_server_identity = server.pem\nssl_server_key = server.key\n"
            + "ssl_server_trusted = "
            + clients.caFile()
            + "\nauthorization = enabled\nusers = users.conf\nacl_list = acl.conf\n"
            + "queues = queues.conf\n");
    broker = Broker.inMemory(ConfigLoader.load(dir.resolve("tandem.conf"))).start();
  }

  @AfterEach
  void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  private String uri(String options) {
    return "amqps://127.0.0.1:"
        + broker.amqpEndpoints().get(0).port()
        + "?transport.trustStoreLocation="
        + pki.trustStore()
        + "&transport.trustStorePassword="
        + TestPki.STORE_PASSWORD
        + (options.isEmpty() ? "" : "&" + options);
  }

  private String withCertificate(String cn, String mechanism) {
    Path keyStore = clients.keyStore(clients.issue(cn, cn, List.of(), Instant.now(), 1));
    return uri(
        "transport.keyStoreLocation="
            + keyStore
            + "&transport.keyStorePassword="
            + TestPki.STORE_PASSWORD
            + "&amqp.saslMechanisms="
            + mechanism);
  }

  @Test
  void shouldAuthenticateTheCertificatesCnAndStampItAsTheSender() throws Exception {
    try (Connection alice =
            new JmsConnectionFactory(withCertificate("alice", "EXTERNAL")).createConnection();
        Connection bob =
            new JmsConnectionFactory(uri("amqp.saslMechanisms=PLAIN"))
                .createConnection("bob", "bob-pw")) {
      alice.start();
      bob.start();
      Session a = alice.createSession(false, Session.AUTO_ACKNOWLEDGE);
      a.createProducer(a.createQueue("ext.orders")).send(a.createTextMessage("from a certificate"));
      JMSSecurityException refused =
          assertThrows(
              JMSSecurityException.class, () -> a.createConsumer(a.createQueue("ext.orders")));
      assertTrue(refused.getMessage().contains("receive"), refused.getMessage());

      // PLAIN is offered over TLS without allow_plain_without_tls
      Session b = bob.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Message m = b.createConsumer(b.createQueue("ext.orders")).receive(30_000);
      assertEquals("alice", m.getStringProperty("JMSXUserID"));
    }
  }

  @Test
  void shouldNotOfferExternalWithoutAClientCertificate() {
    assertThrows(
        JMSException.class,
        () -> {
          try (Connection c =
              new JmsConnectionFactory(uri("amqp.saslMechanisms=EXTERNAL")).createConnection()) {
            c.start();
          }
        });
  }
}
