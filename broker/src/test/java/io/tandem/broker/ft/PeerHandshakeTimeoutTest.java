package io.tandem.broker.ft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.amqp.PeerService;
import io.tandem.broker.config.BrokerConfig;
import io.tandem.broker.config.ConfigLoader;
import io.tandem.broker.config.Endpoint;
import io.tandem.broker.server.Broker;
import io.tandem.testing.Await;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On a primary's port, a peer that sends its header but no HELLO is closed like any handshake. */
class PeerHandshakeTimeoutTest {
  @TempDir Path dir;
  Broker broker;
  PeerPrimary primary;
  int port;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(
        dir.resolve("tandem.conf"), "server = pair\nstore = store\nhandshake_timeout = 1sec\n");
    BrokerConfig config =
        ConfigLoader.load(dir.resolve("tandem.conf"))
            .withListeners(
                List.of(new Endpoint("amqp", "127.0.0.1", 0)),
                new Endpoint("http", "127.0.0.1", 0));
    primary = PeerPrimary.serve(config);
    broker = primary.broker;
    port = broker.amqpEndpoints().get(0).port();
  }

  @AfterEach
  void stop() {
    if (primary != null) {
      primary.close();
    }
  }

  @Test
  void shouldCloseAPeerThatNeverSendsHello() throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.getOutputStream().write(PeerService.HEADER);
      s.getOutputStream().flush();
      s.setSoTimeout(6_000);
      long t0 = System.nanoTime();
      try {
        assertEquals(-1, s.getInputStream().read(), "nothing but a close");
      } catch (SocketTimeoutException e) {
        throw new AssertionError("peer socket without HELLO still open", e);
      }
      assertTrue((System.nanoTime() - t0) / 1_000_000 >= 900, "closed only after the timeout");
    }
  }

  @Test
  void shouldKeepAPeerThatSentHelloAndGiveBackItsSlot() throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      out.write(PeerService.HEADER);
      out.write(PeerLine.hello("pair", "store-1").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      s.setSoTimeout(6_000);
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      assertTrue(in.readLine().startsWith("WELCOME"), "welcomed");
      Await.until(
          "the paired peer gives its connection slot back",
          Duration.ofSeconds(5),
          () -> broker.connections().slotsTaken() == 0);
      // heartbeats keep coming well past the handshake timeout
      long until = System.nanoTime() + Duration.ofMillis(2_000).toNanos();
      while (System.nanoTime() < until) {
        out.write(PeerLine.heartbeat().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertTrue(in.readLine() != null, "link still open");
      }
    }
  }
}
