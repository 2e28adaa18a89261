package io.tandem.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.AdminHttp;
import io.tandem.testing.Await;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tandem broker --mode ha --standby --follow-store} as ha-agent drives it with {@code
 * standby_reads_store}: the standby reads the store another ha-mode broker writes, and after that
 * broker's SIGKILL and the fence's move it serves exactly what was acknowledged and not consumed (a
 * failsafe queue: sends and the consuming transaction are on disk before they are confirmed).
 */
class StandbyFollowIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final int SENT = 300;
  private static final int CONSUMED = 120;

  @TempDir Path dir;
  private TandemProcesses tandem;
  private Path store;

  @BeforeEach
  void processes() throws IOException {
    tandem = new TandemProcesses(dir);
    store = Files.createDirectories(dir.resolve("store"));
  }

  @AfterEach
  void kill() {
    tandem.close();
  }

  private record Ports(int amqp, int admin) {
    String url() {
      return "amqp://127.0.0.1:" + amqp;
    }
  }

  private Path config(String name, Ports ports) throws IOException {
    Path conf = dir.resolve(name + ".conf");
    Files.writeString(
        conf,
        "server = "
            + name
            + "\nlisten = amqp://127.0.0.1:"
            + ports.amqp()
            + "\nadmin_listen = http://127.0.0.1:"
            + ports.admin()
            + "\nstore = "
            + store
            + "\nqueues = queues.conf\n");
    // failsafe: sends and the transaction that consumes are on disk before they are confirmed
    Files.writeString(dir.resolve("queues.conf"), ">\nfollow  failsafe\n");
    return conf;
  }

  private void fence(int epoch) throws Exception {
    Path log = Files.createTempFile(dir, "fence", ".log");
    Process p =
        tandem.start(log, "store", "fence", store.toString(), "--epoch", Integer.toString(epoch));
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tandem store fence");
    assertEquals(0, p.exitValue(), Files.readString(log));
  }

  private static void awaitServing(Ports ports, Path log) {
    Await.until(
        "broker answers /health 200 (log " + log + ")",
        LIMIT,
        () -> AdminHttp.status(ports.admin(), "/health") == 200);
  }

  @Test
  void shouldTakeOverWhatItReadWhileWaitingAndServeExactlyWhatWasLeft() throws Exception {
    fence(1);
    Ports a = new Ports(AdminHttp.freePort(), AdminHttp.freePort());
    Path logA = dir.resolve("a.log");
    Process active =
        tandem.start(
            logA, "broker", "--config", config("a", a).toString(), "--mode", "ha", "--epoch", "1");
    awaitServing(a, logA);

    Ports b = new Ports(AdminHttp.freePort(), AdminHttp.freePort());
    Path logB = dir.resolve("b.log");
    Process standby =
        tandem.start(
            logB,
            "broker",
            "--config",
            config("b", b).toString(),
            "--mode",
            "ha",
            "--standby",
            "--follow-store");
    Await.until(
        "the standby follows the store (log " + logB + ")",
        LIMIT,
        () -> logHas(logB, "store follower started: reading " + store));

    Set<String> left = sendAndConsumeSome(a.url());
    active.destroyForcibly();
    assertTrue(active.waitFor(30, TimeUnit.SECONDS));
    assertEquals(-1, AdminHttp.status(b.admin(), "/health"), "the standby opened no port");

    fence(2);
    try (OutputStream in = standby.getOutputStream()) {
      in.write("activate 2\n".getBytes(StandardCharsets.US_ASCII));
      in.flush();
      awaitServing(b, logB);
    }
    String out = Files.readString(logB);
    assertTrue(out.contains("store taken over from its follower"), out);
    assertTrue(out.contains("queues taken over as the follower built them"), out);
    assertEquals(left, drain(b.url()), "exactly the acknowledged, unconsumed messages");
    assertTrue(standby.isAlive());
  }

  @Test
  void shouldExitWithoutTouchingTheStoreWhenItsInputEnds() throws Exception {
    Ports b = new Ports(AdminHttp.freePort(), AdminHttp.freePort());
    Path logB = dir.resolve("b.log");
    Process standby =
        tandem.start(
            logB,
            "broker",
            "--config",
            config("b", b).toString(),
            "--mode",
            "ha",
            "--standby",
            "--follow-store");
    Await.until(
        "the standby follows the store (log " + logB + ")",
        LIMIT,
        () -> logHas(logB, "store follower started"));
    standby.getOutputStream().close();
    assertTrue(standby.waitFor(30, TimeUnit.SECONDS));
    String out = Files.readString(logB);
    assertEquals(ExitCodes.STANDBY_ABANDONED, standby.exitValue(), out);
    assertFalse(out.contains("hands over"), out);
    try (var files = Files.list(store)) {
      assertEquals(List.of(), files.toList(), "nothing written to the store");
    }
  }

  @Test
  void shouldWaitWithoutReadingAStoreThatIsNotMountedHereAndRecoverItInFull() throws Exception {
    Files.delete(store);
    Ports b = new Ports(AdminHttp.freePort(), AdminHttp.freePort());
    Path logB = dir.resolve("b.log");
    Process standby =
        tandem.start(
            logB,
            "broker",
            "--config",
            config("b", b).toString(),
            "--mode",
            "ha",
            "--standby",
            "--follow-store");
    Await.until(
        "the standby waits (log " + logB + ")",
        LIMIT,
        () -> logHas(logB, "waiting for 'activate'"));
    assertTrue(Files.readString(logB).contains("is not here (mounted only on the active host?)"));
    fence(1);
    try (OutputStream in = standby.getOutputStream()) {
      in.write("activate 1\n".getBytes(StandardCharsets.US_ASCII));
      in.flush();
      awaitServing(b, logB);
    }
    assertFalse(Files.readString(logB).contains("store taken over from its follower"));
  }

  @Test
  void shouldRefuseToFollowTheStoreWithoutStandby() throws Exception {
    Ports b = new Ports(AdminHttp.freePort(), AdminHttp.freePort());
    Path log = dir.resolve("b.log");
    Process p =
        tandem.start(
            log,
            "broker",
            "--config",
            config("b", b).toString(),
            "--mode",
            "ha",
            "--epoch",
            "1",
            "--follow-store");
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = Files.readString(log);
    assertEquals(ExitCodes.CONFIG, p.exitValue(), out);
    assertTrue(out.contains("--follow-store is only for --standby"), out);
  }

  private static boolean logHas(Path log, String text) {
    try {
      return Files.readString(log).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  /** Sends {@link #SENT} persistent messages, consumes {@link #CONSUMED}; returns the rest. */
  private static Set<String> sendAndConsumeSome(String url) throws Exception {
    Set<String> left = new HashSet<>();
    try (Connection c = new JmsConnectionFactory(url).createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer p = s.createProducer(s.createQueue("follow"));
      p.setDeliveryMode(DeliveryMode.PERSISTENT);
      for (int i = 0; i < SENT; i++) {
        p.send(s.createTextMessage("m" + i));
        left.add("m" + i);
      }
      Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
      MessageConsumer consumer = tx.createConsumer(tx.createQueue("follow"));
      for (int i = 0; i < CONSUMED; i++) {
        Message m = consumer.receive(10_000);
        assertNotNull(m, "message " + i + " before the kill");
        assertTrue(left.remove(((TextMessage) m).getText()));
      }
      tx.commit();
      consumer.close();
    }
    return left;
  }

  private static Set<String> drain(String url) throws Exception {
    Set<String> got = new HashSet<>();
    try (Connection c = new JmsConnectionFactory(url).createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer = s.createConsumer(s.createQueue("follow"));
      for (int i = 0; i < SENT; i++) {
        Message m = consumer.receive(i == 0 ? 10_000 : 2_000);
        if (m == null) {
          break;
        }
        assertTrue(got.add(((TextMessage) m).getText()), "no duplicate");
      }
      assertNull(consumer.receiveNoWait());
    }
    return got;
  }
}
