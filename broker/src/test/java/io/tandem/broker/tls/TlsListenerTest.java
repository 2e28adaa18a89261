package io.tandem.broker.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.config.ConfigLoader;
import io.tandem.broker.config.Endpoint;
import io.tandem.broker.server.Broker;
import io.tandem.testing.Await;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code amqps://} listeners through real clients: Qpid JMS (trust store, hostname verification,
 * client certificates), Python Proton, and raw TLS sockets for certificate rotation.
 */
class TlsListenerTest {
  @TempDir Path dir;
  TestPki pki;
  Broker broker;

  @BeforeEach
  void pki() {
    pki = TestPki.create(dir, "ca");
  }

  @AfterEach
  void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  private Broker start(String... lines) throws Exception {
    StringBuilder conf =
        new StringBuilder("server = tls\nstore = store\nadmin_listen = http://127.0.0.1:0\n");
    for (String l : lines) {
      conf.append(l).append('\n');
    }
    Path file = dir.resolve("tandem.conf");
    Files.writeString(file, conf);
    broker = Broker.inMemory(ConfigLoader.load(file)).start();
    return broker;
  }

  private int port(String scheme) {
    return broker.amqpEndpoints().stream()
        .filter(e -> e.scheme().equals(scheme))
        .mapToInt(Endpoint::port)
        .findFirst()
        .orElseThrow();
  }

  private String amqps(Path trustStore, String options) {
    return "amqps://127.0.0.1:"
        + port("amqps")
        + "?transport.trustStoreLocation="
        + trustStore
        + "&transport.trustStorePassword="
        + TestPki.STORE_PASSWORD
        + "&transport.storeType=PKCS12"
        + (options.isEmpty() ? "" : "&" + options);
  }

  private static void roundTrip(String uri, String queue) throws JMSException {
    try (Connection c = new JmsConnectionFactory(uri).createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
      s.createProducer(s.createQueue(queue)).send(s.createTextMessage("hello " + queue));
      TextMessage m = (TextMessage) consumer.receive(10_000);
      assertEquals("hello " + queue, m == null ? null : m.getText());
    }
  }

  private static void refused(String uri) {
    assertThrows(
        JMSException.class,
        () -> {
          try (Connection c = new JmsConnectionFactory(uri).createConnection()) {
            c.start();
          }
        },
        uri);
  }

  private static String tls() {
    return "ssl_server_identity = server.pem\nssl_server_key = server.key";
  }

  @Test
  void shouldServePlainAndTlsListenersSideBySideAndListThemWithTheirScheme() throws Exception {
    pki.issue("server");
    start("listen = amqp://127.0.0.1:0, amqps://127.0.0.1:0", tls());
    roundTrip("amqp://127.0.0.1:" + port("amqp"), "plain.q");
    roundTrip(amqps(pki.trustStore(), "transport.verifyHost=true"), "tls.q");
    refused(
        "amqp://127.0.0.1:" + port("amqps") + "?amqp.saslLayer=true&transport.connectTimeout=3000");
    Endpoint admin = broker.adminEndpoint();
    String state =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + "/state"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertTrue(state.contains("\"amqp://127.0.0.1:" + port("amqp") + "\""), state);
    assertTrue(state.contains("\"amqps://127.0.0.1:" + port("amqps") + "\""), state);
  }

  @Test
  void shouldVerifyHostnameOnlyWhenTheClientAsks() throws Exception {
    pki.issue("server", "elsewhere", List.of("elsewhere.example"), Instant.now(), 1);
    start("listen = amqps://127.0.0.1:0", tls());
    refused(amqps(pki.trustStore(), "transport.verifyHost=true"));
    roundTrip(amqps(pki.trustStore(), "transport.verifyHost=false"), "noverify.q");
  }

  @Test
  void shouldBeRefusedByClientsWhenExpiredOrUntrusted() throws Exception {
    pki.issue(
        "server", "expired", List.of("127.0.0.1"), Instant.now().minus(Duration.ofDays(10)), 2);
    start("listen = amqps://127.0.0.1:0", tls());
    refused(amqps(pki.trustStore(), "transport.verifyHost=false"));
    broker.close();
    broker = null;
    pki.issue("server");
    start("listen = amqps://127.0.0.1:0", tls());
    TestPki other = TestPki.create(dir.resolve("other"), "other");
    refused(amqps(other.trustStore(), "transport.verifyHost=false"));
    roundTrip(amqps(pki.trustStore(), ""), "trusted.q");
  }

  @Test
  void shouldRequireAndVerifyClientCertificates() throws Exception {
    pki.issue("server");
    TestPki clients = TestPki.create(dir.resolve("clients"), "clients");
    TestPki rogue = TestPki.create(dir.resolve("rogue"), "rogue");
    start(
        "listen = amqps://127.0.0.1:0",
        tls(),
        "ssl_server_trusted = " + clients.caFile(),
        "ssl_require_client_cert = enabled");
    refused(amqps(pki.trustStore(), ""));
    Path good = clients.keyStore(clients.issue("alice", "alice", List.of(), Instant.now(), 1));
    Path bad = rogue.keyStore(rogue.issue("mallory", "mallory", List.of(), Instant.now(), 1));
    String keyOptions =
        "transport.keyStorePassword=" + TestPki.STORE_PASSWORD + "&transport.keyStoreLocation=";
    refused(amqps(pki.trustStore(), keyOptions + bad));
    roundTrip(amqps(pki.trustStore(), keyOptions + good), "cert.q");
  }

  @Test
  void shouldServeRotatedCertificateToNewConnectionsWithoutRestart() throws Exception {
    pki.issue("server", "before", List.of("127.0.0.1"), Instant.now(), 1);
    start("listen = amqps://127.0.0.1:0", tls());
    String uri = amqps(pki.trustStore(), "");
    try (Connection old = new JmsConnectionFactory(uri).createConnection()) {
      old.start();
      assertTrue(presented().getSubjectX500Principal().getName().contains("CN=before"));
      pki.issue("server", "after", List.of("127.0.0.1"), Instant.now(), 1);
      Await.until(
          "new handshakes present the rotated certificate",
          Duration.ofSeconds(10),
          () -> presented().getSubjectX500Principal().getName().contains("CN=after"));
      roundTrip(uri, "rotated.q");
      Session s = old.createSession(false, Session.AUTO_ACKNOWLEDGE);
      s.createProducer(s.createQueue("old.q")).send(s.createTextMessage("still open"));
    }
  }

  @Test
  void shouldKeepServingWhenARotatedFileIsBroken() throws Exception {
    pki.issue("server", "good", List.of("127.0.0.1"), Instant.now(), 1);
    start("listen = amqps://127.0.0.1:0", tls());
    Files.writeString(dir.resolve("server.pem"), "-----BEGIN CERTIFICATE-----\ngarbage\n");
    assertTrue(presented().getSubjectX500Principal().getName().contains("CN=good"));
    roundTrip(amqps(pki.trustStore(), ""), "broken.q");
  }

  @Test
  void shouldCloseTlsSocketThatNeverHandshakesWithinHandshakeTimeout() throws Exception {
    pki.issue("server");
    start("listen = amqps://127.0.0.1:0", tls(), "handshake_timeout = 500msec");
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port("amqps")), 2000);
      s.setSoTimeout(10_000);
      long t0 = System.nanoTime();
      InputStream in = s.getInputStream();
      assertEquals(-1, in.read(), "closed without a byte");
      assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(8));
    }
  }

  @Test
  void shouldServePythonProtonOverTlsWithPeerNameVerification() throws Exception {
    Process check = new ProcessBuilder("/usr/bin/python3", "-c", "import proton").start();
    boolean available = check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0;
    if (System.getenv("CI") == null) {
      Assumptions.assumeTrue(available, "python3-qpid-proton is not installed");
    }
    pki.issue("server", "localhost", List.of("localhost"), Instant.now(), 1);
    start("listen = amqps://127.0.0.1:0", tls());
    String ca = pki.caFile().toString();
    String byName = "amqps://localhost:" + port("amqps");
    String byIp = "amqps://127.0.0.1:" + port("amqps");
    assertTrue(python(byName, "py.q", ca, "name").contains("received 1"));
    String wrongName = python(byIp, "py.q", ca, "name");
    assertTrue(wrongName.contains("refused"), wrongName);
    assertTrue(python(byIp, "py.q", ca, "chain").contains("received 1"));
    TestPki other = TestPki.create(dir.resolve("other"), "other");
    String untrusted = python(byName, "py.q", other.caFile().toString(), "chain");
    assertTrue(untrusted.contains("refused"), untrusted);
  }

  private static String python(String url, String address, String ca, String mode)
      throws Exception {
    Process p =
        new ProcessBuilder(
                "/usr/bin/python3",
                "src/test/python/proton_tls_send_receive.py",
                url,
                address,
                ca,
                mode)
            .redirectErrorStream(true)
            .start();
    try {
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python client finished");
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      p.destroyForcibly();
    }
  }

  /** The certificate the amqps listener presents to a new TLS connection now. */
  private X509Certificate presented() {
    ClientTls client =
        ClientTls.create(
            new TlsSettings(
                null, null, null, pki.caFile(), false, TlsSettings.PROTOCOLS, List.of()),
            null,
            false);
    try (Socket raw = new Socket()) {
      raw.connect(new InetSocketAddress("127.0.0.1", port("amqps")), 2000);
      raw.setSoTimeout(5000);
      SSLSocket s = client.handshake(raw, "127.0.0.1", port("amqps"));
      return (X509Certificate) s.getSession().getPeerCertificates()[0];
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
