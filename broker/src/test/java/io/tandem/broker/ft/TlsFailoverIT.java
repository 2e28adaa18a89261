package io.tandem.broker.ft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.tls.TestPki;
import io.tandem.testing.Await;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hot-warm pair whose peer link and client listeners run TLS, as separate processes: the backup
 * pairs over TLS and takes over when the primary is killed; a backup whose certificate the primary
 * does not trust never pairs. Member logs stay in the temporary directory on failure.
 */
class TlsFailoverIT {

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @AfterEach
  void stopEverything() throws Exception {
    Collections.reverse(cleanup);
    for (AutoCloseable c : cleanup) {
      c.close();
    }
  }

  /** A pair on amqps:// listeners, each verifying the other with the CA {@code pki}. */
  private List<Member> tlsPair(TestPki pki, String extra) throws Exception {
    pki.issue("server");
    List<Member> pair =
        Member.pair(
            dir,
            "tlspair",
            Member.FAST
                + "ssl_server_identity = server.pem\nssl_server_key = server.key\n"
                + "ssl_server_trusted = ca-ca.pem\nft_ssl_trusted = ca-ca.pem\n"
                + extra);
    for (Member m : pair) {
      m.editConfig("amqp://", "amqps://");
    }
    cleanup.addAll(pair);
    return pair;
  }

  private static String uri(Member m, TestPki pki) {
    return "amqps://127.0.0.1:"
        + m.amqpPort
        + "?transport.trustStoreLocation="
        + pki.trustStore()
        + "&transport.trustStorePassword="
        + TestPki.STORE_PASSWORD
        + "&transport.storeType=PKCS12&transport.verifyHost=true";
  }

  private static void send(String uri, String queue, String text) throws Exception {
    try (Connection c = new JmsConnectionFactory(uri).createConnection()) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      s.createProducer(s.createQueue(queue)).send(s.createTextMessage(text));
    }
  }

  private static String receive(String uri, String queue) throws Exception {
    try (Connection c = new JmsConnectionFactory(uri).createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
      TextMessage m = (TextMessage) consumer.receive(10_000);
      return m == null ? null : m.getText();
    }
  }

  @Test
  void shouldPairOverTlsAndFailOverToTheBackup() throws Exception {
    TestPki pki = TestPki.create(dir, "ca");
    pki.issue("member", "member", List.of("127.0.0.1"), java.time.Instant.now(), 1);
    List<Member> pair =
        tlsPair(
            pki,
            "ssl_require_client_cert = enabled\n"
                + "ft_ssl_identity = member.pem\nft_ssl_private_key = member.key\n");
    Member a = pair.get(0).start();
    a.awaitPrimary();
    Member b = pair.get(1).start();
    b.awaitBackup();
    assertTrue(
        a.stateTree()
            .orElseThrow()
            .strings("listeners")
            .contains("amqps://127.0.0.1:" + a.amqpPort),
        a.state());

    String clientOptions =
        "&transport.keyStoreLocation="
            + pki.keyStore(pki.issue("client", "client", List.of(), java.time.Instant.now(), 1))
            + "&transport.keyStorePassword="
            + TestPki.STORE_PASSWORD;
    send(uri(a, pki) + clientOptions, "ft.tls", "before failover");
    a.kill();
    Await.until("b takes over; log " + b.log, Member.START, () -> b.health() == 200);
    assertEquals("before failover", receive(uri(b, pki) + clientOptions, "ft.tls"));
  }

  @Test
  void shouldNeverPairWithABackupWhoseCertificateIsUntrusted() throws Exception {
    TestPki pki = TestPki.create(dir, "ca");
    TestPki rogue = TestPki.create(dir.resolve("rogue"), "rogue");
    rogue.issue("member", "member", List.of("127.0.0.1"), java.time.Instant.now(), 1);
    List<Member> pair =
        tlsPair(
            pki,
            "ssl_require_client_cert = enabled\n"
                + "ft_ssl_identity = rogue/member.pem\nft_ssl_private_key = rogue/member.key\n");
    Member a = pair.get(0).start();
    a.awaitPrimary();
    Member b = pair.get(1).start();
    Await.until(
        "a refuses b's TLS handshake; log " + a.log,
        Member.START,
        () -> a.logText().contains("TLS handshake with"));
    Await.until(
        "b reports the failed handshake; log " + b.log,
        Member.START,
        () -> b.logText().contains("TLS handshake with primary"));
    assertFalse(b.paired(), b.state());
    assertEquals(200, a.health());
  }
}
