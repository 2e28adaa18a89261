package io.tandem.broker.ft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.amqp.PeerService;
import io.tandem.broker.config.BrokerConfig;
import io.tandem.broker.config.ConfigLoader;
import io.tandem.broker.config.Endpoint;
import io.tandem.broker.server.Broker;
import io.tandem.broker.tls.ClientTls;
import io.tandem.broker.tls.TestPki;
import io.tandem.broker.tls.TlsSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A primary whose pair runs the peer link over TLS ({@code ft_active = amqps://}) serves the peer
 * protocol on its TLS listener and refuses it on its plain one.
 */
class PeerOverTlsTest {
  @TempDir Path dir;
  Broker broker;
  PeerPrimary primary;
  TestPki pki;

  @BeforeEach
  void start() throws Exception {
    pki = TestPki.create(dir, "ca");
    pki.issue("server");
    Files.writeString(
        dir.resolve("tandem.conf"),
        "server = pair\nstore = store\nadmin_listen = http://127.0.0.1:0\n"
            + "listen = amqp://127.0.0.1:0, amqps://127.0.0.1:0\n"
            + "ssl_server_identity = server.pem\nssl_server_key = server.key\n"
            + "ft_active = amqps://127.0.0.1:7999\nft_ssl_trusted = ca-ca.pem\n");
    BrokerConfig config = ConfigLoader.load(dir.resolve("tandem.conf"));
    primary = PeerPrimary.serve(config);
    broker = primary.broker;
  }

  @AfterEach
  void stop() {
    if (primary != null) {
      primary.close();
    }
  }

  private int port(String scheme) {
    return broker.amqpEndpoints().stream()
        .filter(e -> e.scheme().equals(scheme))
        .mapToInt(Endpoint::port)
        .findFirst()
        .orElseThrow();
  }

  private static String hello(Socket s) throws Exception {
    OutputStream out = s.getOutputStream();
    out.write(PeerService.HEADER);
    out.write(PeerLine.hello("pair", "store-1").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
        .readLine();
  }

  @Test
  void shouldRefuseThePeerProtocolOnAPlainListener() throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port("amqp")), 2000);
      s.setSoTimeout(5000);
      assertEquals(null, hello(s), "closed without an answer");
    }
  }

  @Test
  void shouldWelcomeAPeerOverTls() throws Exception {
    ClientTls client =
        ClientTls.create(
            new TlsSettings(
                null, null, null, pki.caFile(), false, TlsSettings.PROTOCOLS, List.of()),
            null,
            true);
    try (Socket raw = new Socket()) {
      raw.connect(new InetSocketAddress("127.0.0.1", port("amqps")), 2000);
      raw.setSoTimeout(5000);
      SSLSocket s = client.handshake(raw, "127.0.0.1", port("amqps"));
      String answer = hello(s);
      assertTrue(answer != null && answer.startsWith("WELCOME"), answer);
    }
  }
}
