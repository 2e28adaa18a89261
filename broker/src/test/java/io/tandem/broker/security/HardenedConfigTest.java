package io.tandem.broker.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.cli.TandemCommand;
import io.tandem.broker.config.ConfigLoader;
import io.tandem.broker.config.Endpoint;
import io.tandem.broker.server.Broker;
import io.tandem.broker.tls.TestPki;
import io.tandem.testing.AdminHttp;
import io.tandem.testing.DocBlocks;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The hardened configuration of docs/security.md, loaded from the page as it stands (only its
 * ports, store and certificates are the test's) and exercised through Qpid JMS over {@code
 * amqps://} with SCRAM-SHA-512 and through the CLI over HTTPS.
 */
class HardenedConfigTest {
  private static final Path DOC = Path.of("../docs/security.md");
  private static final List<String> USERS =
      List.of("alice", "fulfilment", "pricer", "monitor", "ops");

  @TempDir Path dir;
  private TestPki pki;
  private Broker broker;

  @BeforeEach
  void start() throws Exception {
    Files.createDirectories(dir.resolve("tls"));
    Files.createDirectories(dir.resolve("secrets"));
    pki = TestPki.create(dir, "ca");
    TestPki.Issued server = pki.issue("server");
    Files.copy(server.cert(), dir.resolve("tls/broker.pem"));
    Files.copy(server.key(), dir.resolve("tls/broker.key"));
    Files.copy(pki.caFile(), dir.resolve("tls/clients-ca.pem"));
    for (String file : List.of("queues", "topics", "groups", "acl")) {
      Files.writeString(dir.resolve(file + ".conf"), only(file + "-hardened"));
    }
    StringBuilder users = new StringBuilder();
    for (String u : USERS) {
      Files.writeString(dir.resolve("secrets/" + u), password(u) + "\n");
      users.append(passwd(u, dir.resolve("secrets/" + u)));
    }
    Files.writeString(dir.resolve("users.conf"), users);
    String conf =
        only("conf-hardened")
            .replace("amqps://0.0.0.0:5671", "amqps://127.0.0.1:0")
            .replace("https://127.0.0.1:9672", "https://127.0.0.1:0")
            .replace("/srv/tandem/orders", dir.resolve("store").toString());
    Files.writeString(dir.resolve("tandem.conf"), conf);
    broker = Broker.inMemory(ConfigLoader.load(dir.resolve("tandem.conf"))).start();
  }

  @AfterEach
  void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  private static String password(String user) {
    return "pw-of-" + user + "-#1";
  }

  /** {@code bin/tandem passwd --user U < secrets/U}, as the page runs it. */
  private static String passwd(String user, Path secret) throws Exception {
    InputStream saved = System.in;
    StringWriter out = new StringWriter();
    try {
      System.setIn(new ByteArrayInputStream(Files.readAllBytes(secret)));
      CommandLine cmd = new CommandLine(new TandemCommand());
      cmd.setOut(new PrintWriter(out, true));
      cmd.setErr(new PrintWriter(new StringWriter(), true));
      assertEquals(0, cmd.execute("passwd", "--user", user));
    } finally {
      System.setIn(saved);
    }
    assertTrue(out.toString().startsWith(user + ":" + StoredPassword.PREFIX), out.toString());
    return out.toString();
  }

  private Connection connect(String user) throws JMSException {
    Endpoint e = broker.amqpEndpoints().get(0);
    assertEquals("amqps", e.scheme());
    String uri =
        "amqps://127.0.0.1:"
            + e.port()
            + "?transport.trustStoreLocation="
            + pki.trustStore()
            + "&transport.trustStorePassword="
            + TestPki.STORE_PASSWORD
            + "&amqp.saslMechanisms=SCRAM-SHA-512";
    JmsConnectionFactory f = new JmsConnectionFactory(uri);
    Connection c = user == null ? f.createConnection() : f.createConnection(user, password(user));
    c.start();
    return c;
  }

  @Test
  void shouldGrantAndRefuseQueuesAsTheAclSays() throws Exception {
    try (Connection alice = connect("alice");
        Connection fulfilment = connect("fulfilment")) {
      Session s = alice.createSession(false, Session.AUTO_ACKNOWLEDGE);
      s.createProducer(s.createQueue("orders.eu")).send(s.createTextMessage("order 1"));
      JMSSecurityException refused =
          assertThrows(
              JMSSecurityException.class, () -> s.createConsumer(s.createQueue("orders.eu")));
      assertTrue(refused.getMessage().contains("receive"), refused.getMessage());

      Session f = fulfilment.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Message m = f.createConsumer(f.createQueue("orders.eu")).receive(30_000);
      assertEquals("order 1", ((TextMessage) m).getText());
      assertEquals("alice", m.getStringProperty("JMSXUserID"));
    }
  }

  @Test
  void shouldGrantAndRefuseTopicsAsTheAclSays() throws Exception {
    try (Connection alice = connect("alice");
        Connection pricer = connect("pricer");
        Connection fulfilment = connect("fulfilment")) {
      Session a = alice.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Topic prices = a.createTopic("prices.eur");
      MessageConsumer sub = a.createConsumer(prices);
      Session f = fulfilment.createSession(false, Session.AUTO_ACKNOWLEDGE);
      assertThrows(JMSSecurityException.class, () -> f.createConsumer(f.createTopic("prices.eur")));
      Session p = pricer.createSession(false, Session.AUTO_ACKNOWLEDGE);
      p.createProducer(p.createTopic("prices.eur")).send(p.createTextMessage("1.08"));
      assertEquals("1.08", ((TextMessage) sub.receive(30_000)).getText());
    }
  }

  @Test
  void shouldRefuseAClientWithoutCredentials() {
    assertThrows(JMSSecurityException.class, () -> connect(null).close());
  }

  @Test
  void shouldAnswerHealthOpenlyAndAdminCallsOnlyToTheirUsers() throws Exception {
    Endpoint admin = broker.adminEndpoint();
    String url = "https://127.0.0.1:" + admin.port();
    assertEquals("https", admin.scheme());
    String ca = pki.caFile().toString();
    try (Connection alice = connect("alice")) {
      Session s = alice.createSession(false, Session.AUTO_ACKNOWLEDGE);
      s.createProducer(s.createQueue("orders.eu")).send(s.createTextMessage("to purge"));
    }

    assertEquals(200, healthStatus(url), "/health stays open with admin_public = health");
    assertEquals(
        8, tandem("status", "--url", url, "--cacert", ca).exit(), "/state needs credentials");
    Run status = admin(url, "monitor", "status");
    assertEquals(0, status.exit(), status.toString());
    assertEquals(8, admin(url, "monitor", "purge", "orders.eu").exit(), "monitor may only look");
    Run purge = admin(url, "ops", "purge", "orders.eu");
    assertEquals(0, purge.exit(), purge.toString());
  }

  /** {@code tandem COMMAND... --url URL --cacert CA --user USER --password-file FILE}. */
  private Run admin(String url, String user, String... command) throws Exception {
    Path passwordFile = dir.resolve(user + ".pw");
    Files.writeString(passwordFile, password(user) + "\n");
    List<String> args = new java.util.ArrayList<>(List.of(command));
    args.addAll(
        List.of(
            "--url",
            url,
            "--cacert",
            pki.caFile().toString(),
            "--user",
            user,
            "--password-file",
            passwordFile.toString()));
    return tandem(args.toArray(String[]::new));
  }

  private int healthStatus(String url) {
    return AdminHttp.at(URI.create(url))
        .withTrustStore(pki.trustStore(), TestPki.STORE_PASSWORD)
        .get("/health")
        .status();
  }

  record Run(int exit, String out, String err) {}

  private static Run tandem(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new TandemCommand());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return new Run(cmd.execute(args), out.toString(), err.toString());
  }

  private static String only(String tag) throws Exception {
    List<String> blocks = DocBlocks.read(DOC, tag);
    assertEquals(1, blocks.size(), tag);
    return blocks.get(0);
  }
}
