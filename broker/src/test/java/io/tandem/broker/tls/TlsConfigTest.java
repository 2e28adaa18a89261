package io.tandem.broker.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.BrokerException;
import io.tandem.broker.config.BrokerConfig;
import io.tandem.broker.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS keys of tandem.conf: defaults, and refusals that name file and line. */
class TlsConfigTest {
  @TempDir Path dir;
  TestPki pki;
  TestPki.Issued server;

  @BeforeEach
  void pki() {
    pki = TestPki.create(dir, "ca");
    server = pki.issue("server");
  }

  private BrokerConfig load(String conf) throws Exception {
    Path file = dir.resolve("tandem.conf");
    Files.writeString(file, conf);
    return ConfigLoader.load(file);
  }

  private String refusal(String conf) {
    BrokerException e = assertThrows(BrokerException.class, () -> load(conf));
    assertEquals(BrokerException.Category.CONFIG, e.category());
    return e.getMessage();
  }

  private String identity() {
    return "ssl_server_identity = server.pem\nssl_server_key = server.key\n";
  }

  @Test
  void shouldLoadMixedListenersWithDefaults() throws Exception {
    BrokerConfig c = load("listen = amqp://127.0.0.1:0, amqps://127.0.0.1:0\n" + identity());
    assertEquals(List.of("amqp", "amqps"), c.listen().stream().map(e -> e.scheme()).toList());
    assertEquals(List.of("TLSv1.2", "TLSv1.3"), c.tls().server().protocols());
    assertEquals(List.of(), c.tls().server().ciphers());
    assertTrue(!c.tls().server().requireClientCert());
    assertNull(c.tls().admin());
    assertNull(c.tls().ft());
  }

  @Test
  void shouldRefuseProtocolsBelowTls12AtTheirLine() {
    String msg =
        refusal(
            "listen = amqps://127.0.0.1:0\n" + identity() + "ssl_protocols = TLSv1.1, TLSv1.2\n");
    assertTrue(msg.contains("tandem.conf:4:") && msg.contains("TLSv1.1"), msg);
  }

  @Test
  void shouldRefuseUnknownCipherAtItsLine() {
    String msg = refusal("listen = amqps://127.0.0.1:0\n" + identity() + "ssl_ciphers = RC4-MD5\n");
    assertTrue(msg.contains("tandem.conf:4:") && msg.contains("RC4-MD5"), msg);
  }

  @Test
  void shouldRefuseAmqpsListenerWithoutIdentity() {
    String msg = refusal("listen = amqps://127.0.0.1:0\n");
    assertTrue(msg.contains("tandem.conf:1:") && msg.contains("ssl_server_identity"), msg);
  }

  @Test
  void shouldRefuseMissingFileAndWrongPasswordAtTheirLines() {
    String missing = refusal("listen = amqps://127.0.0.1:0\nssl_server_identity = nope.pem\n");
    assertTrue(missing.contains("tandem.conf:2:") && missing.contains("nope.pem"), missing);
    pki.issue(
        "enc",
        "enc",
        List.of("localhost"),
        Instant.now(),
        1,
        TestPki.KeyFormat.PKCS8_ENCRYPTED,
        "right");
    String wrong =
        refusal(
            "listen = amqps://127.0.0.1:0\nssl_server_identity = enc.pem\n"
                + "ssl_server_key = enc.key\nssl_password = wrong\n");
    assertTrue(wrong.contains("tandem.conf:3:") && wrong.contains("wrong password"), wrong);
  }

  @Test
  void shouldAcceptEncryptedKeyWithItsPassword() throws Exception {
    pki.issue(
        "enc",
        "enc",
        List.of("localhost"),
        Instant.now(),
        1,
        TestPki.KeyFormat.PKCS8_ENCRYPTED,
        "right");
    BrokerConfig c =
        load(
            "listen = amqps://127.0.0.1:0\nssl_server_identity = enc.pem\n"
                + "ssl_server_key = enc.key\nssl_password = right\n");
    assertNotNull(c.tls().server());
    assertTrue(!c.tls().server().toString().contains("right"), "toString hides the password");
  }

  @Test
  void shouldRefuseRequiredClientCertWithoutTrustedCas() {
    String msg =
        refusal(
            "listen = amqps://127.0.0.1:0\n" + identity() + "ssl_require_client_cert = enabled\n");
    assertTrue(msg.contains("tandem.conf:4:") && msg.contains("ssl_server_trusted"), msg);
  }

  @Test
  void shouldRefuseHttpsAdminWithoutIdentity() {
    String msg = refusal("admin_listen = https://127.0.0.1:0\n");
    assertTrue(msg.contains("tandem.conf:1:"), msg);
  }

  @Test
  void shouldRefuseFtSslKeysWithPlainFtActive() {
    String msg =
        refusal(
            "listen = amqps://127.0.0.1:0\n"
                + identity()
                + "ft_active = amqp://127.0.0.1:7222\nft_ssl_trusted = ca-ca.pem\n");
    assertTrue(msg.contains("tandem.conf:5:") && msg.contains("amqps://"), msg);
  }

  @Test
  void shouldRefuseTlsPeerLinkWithoutTrustedCasOrTlsListener() {
    String noTrust =
        refusal(
            "listen = amqps://127.0.0.1:0\n" + identity() + "ft_active = amqps://127.0.0.1:7222\n");
    assertTrue(noTrust.contains("tandem.conf:4:") && noTrust.contains("ft_ssl_trusted"), noTrust);
    String noListener = refusal("ft_active = amqps://127.0.0.1:7222\nft_ssl_trusted = ca-ca.pem\n");
    assertTrue(noListener.contains("tandem.conf:1:") && noListener.contains("listen"), noListener);
  }

  @Test
  void shouldLoadTlsPeerLink() throws Exception {
    pki.issue("backup");
    BrokerConfig c =
        load(
            "listen = amqps://127.0.0.1:0\n"
                + identity()
                + "ft_active = amqps://127.0.0.1:7222\nft_ssl_trusted = ca-ca.pem\n"
                + "ft_ssl_identity = backup.pem\nft_ssl_private_key = backup.key\n"
                + "ft_ssl_expected_hostname = localhost\n");
    assertTrue(c.tls().peerOverTlsOnly());
    assertEquals("localhost", c.tls().ftExpectedHostname());
    assertTrue(c.tls().ftVerifyHostname());
  }
}
