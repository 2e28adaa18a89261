package io.tandem.broker.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.TestBroker;
import io.tandem.testing.Await;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sockets that never finish the handshake are closed, and hold connection slots until then. */
class HandshakeTimeoutTest {
  private static final long TIMEOUT_MS = 1_000;

  /** The bound, "within the timeout plus a second", with slack for a loaded machine. */
  private static final long CLOSE_BOUND_MS = TIMEOUT_MS + 5_000;

  @TempDir Path dir;
  TestBroker broker;
  Connection bystander;
  final List<Socket> sockets = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    broker = TestBroker.start(dir, "handshake_timeout = 1sec", "max_connections = 3");
    bystander = broker.connect();
  }

  @AfterEach
  void stop() throws Exception {
    for (Socket s : sockets) {
      s.close();
    }
    bystander.close();
    broker.close();
  }

  private Socket open() throws IOException {
    Socket s = new Socket("127.0.0.1", broker.amqpPort());
    sockets.add(s);
    return s;
  }

  /** Milliseconds until the broker closed {@code s}; fails if it did not within the bound. */
  private static long millisUntilClosed(Socket s) throws IOException {
    long t0 = System.nanoTime();
    s.setSoTimeout((int) CLOSE_BOUND_MS);
    InputStream in = s.getInputStream();
    try {
      while (in.read() >= 0) {
        // whatever the broker sent before closing (e.g. its protocol header) is irrelevant here
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("socket still open after " + CLOSE_BOUND_MS + " ms", e);
    } catch (IOException e) {
      // a reset is a close too
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private void assertBystanderWorks() throws Exception {
    Session session = bystander.createSession(false, Session.AUTO_ACKNOWLEDGE);
    var q = session.createQueue("bystander");
    session.createProducer(q).send(session.createTextMessage("ok"));
    assertEquals("ok", ((TextMessage) session.createConsumer(q).receive(5_000)).getText());
    session.close();
  }

  @Test
  void shouldCloseASilentSocketAfterTheHandshakeTimeout() throws Exception {
    long ms = millisUntilClosed(open());
    assertTrue(ms >= TIMEOUT_MS - 100, "closed after " + ms + " ms, before the timeout");
    assertBystanderWorks();
  }

  @Test
  void shouldCloseASocketThatSentHalfAHeader() throws Exception {
    Socket s = open();
    s.getOutputStream().write(new byte[] {'A', 'M', 'Q'});
    s.getOutputStream().flush();
    millisUntilClosed(s);
    assertBystanderWorks();
  }

  @Test
  void shouldCloseASocketThatStopsInTheMiddleOfSasl() throws Exception {
    Socket s = open();
    s.getOutputStream().write(new byte[] {'A', 'M', 'Q', 'P', 3, 1, 0, 0});
    s.getOutputStream().flush();
    millisUntilClosed(s);
    assertBystanderWorks();
  }

  @Test
  void shouldCountSilentSocketsAgainstMaxConnectionsUntilTheyAreClosed() throws Exception {
    Socket first = open();
    Socket second = open();
    Await.until(
        "two silent sockets and the bystander hold slots",
        Duration.ofSeconds(5),
        () -> broker.broker().connections().slotsTaken() == 3);
    JMSException refused = assertThrows(JMSException.class, () -> broker.connect().close());
    assertTrue(
        String.valueOf(refused.getMessage()).contains("at most 3 connections"), refused.toString());
    assertBystanderWorks();
    millisUntilClosed(first);
    millisUntilClosed(second);
    Await.until(
        "the closed sockets' slots given back",
        Duration.ofSeconds(5),
        () -> broker.broker().connections().slotsTaken() == 1);
    try (Connection c = broker.connect()) {
      c.createSession(false, Session.AUTO_ACKNOWLEDGE).close();
    }
    assertBystanderWorks();
  }

  @Test
  void shouldKeepAConnectionThatFinishedItsHandshake() throws Exception {
    // the bystander opened before the timeout began counting for it; a full timeout later it works
    Socket silent = open();
    millisUntilClosed(silent);
    assertBystanderWorks();
    assertEquals(1, broker.broker().connections().count());
  }
}
