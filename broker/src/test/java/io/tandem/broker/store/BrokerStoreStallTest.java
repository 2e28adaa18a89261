package io.tandem.broker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.cli.ExitCodes;
import io.tandem.testing.AdminHttp;
import io.tandem.testing.Await;
import io.tandem.testing.JsonTree;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code tandem broker} process whose store's fence read really blocks ({@link HungFence}):
 * {@code /health} leaves 200 within {@code store_io_timeout} + 1 s with reason {@code store
 * stalled}, clients are disconnected and new ones refused, {@code /state} and {@code /metrics} say
 * so, the process exits with {@code STORE_STALLED} after the grace with a {@code STORE STALLED:}
 * line, and every acknowledged message is there after a restart on a healthy store.
 */
class BrokerStoreStallTest {
  // above the minimum, so that a cold JVM's first store operations on a loaded machine pass
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final Duration GRACE = Duration.ofSeconds(5);
  private static final int MESSAGES = 50;

  @TempDir Path dir;

  @Test
  void shouldStopServingAndExitWithStoreStalledWhenAStoreReadHangs() throws Exception {
    int port = BrokerProcess.freePort();
    int admin = BrokerProcess.freePort();
    Path config = writeConfig(port, admin, GRACE);
    Path store = dir.resolve("store");
    Path log = dir.resolve("broker.log");
    List<String> acked = new ArrayList<>();
    try (BrokerProcess broker = BrokerProcess.start(config, log, port)) {
      AtomicReference<JMSException> lost = new AtomicReference<>();
      try (Connection c = new JmsConnectionFactory("amqp://127.0.0.1:" + port).createConnection()) {
        c.setExceptionListener(lost::set);
        c.start();
        send(c, acked);
        assertEquals(200, get(admin, "/health").status());

        HungFence hung = HungFence.install(store);
        try {
          long hungAt = System.nanoTime();
          AdminHttp.Reply health = awaitHealthNot200(admin);
          long tookMs = (System.nanoTime() - hungAt) / 1_000_000;
          // the idle writer reads the fence every 250 ms, so the hang begins within that
          long boundMs = TIMEOUT.toMillis() + 1000 + Committer.FENCE_CHECK_INTERVAL_MS;
          assertTrue(tookMs <= boundMs, "/health left 200 after " + tookMs + " ms > " + boundMs);
          assertEquals(503, health.status(), health.body());
          JsonTree body = health.json();
          assertEquals("stalled", body.string("status"), body.toString());
          assertTrue(
              body.string("reason").startsWith("store stalled: fence check has not returned"),
              body.toString());
          assertStateAndMetricsSayStalled(admin);

          Await.until("the client is disconnected", StoreFixture.WAIT, () -> lost.get() != null);
          Await.until("new connections are refused", StoreFixture.WAIT, () -> !accepts(port));
          assertEquals(
              ExitCodes.STORE_STALLED,
              broker.awaitExit(GRACE.plus(StoreFixture.WAIT)),
              "exit status; log: " + log);
        } finally {
          hung.release();
        }
      }
      String text = Files.readString(log);
      assertTrue(
          text.contains("STORE STALLED: store stalled: fence check has not returned for"), text);
      assertTrue(text.contains("STORE STALLED: fence check has not returned for"), text);
      assertTrue(text.contains("exiting with status 9"), text);
    }
    Files.writeString(config, Files.readString(config).replaceAll("(?m)^store_io_.*\n", ""));
    try (BrokerProcess again = BrokerProcess.start(config, dir.resolve("restart.log"), port)) {
      assertEquals(acked, receiveAll(port), "acknowledged before the stall, read after a restart");
      assertEquals(ExitCodes.OK, again.stop());
    }
  }

  @Test
  void shouldExitRatherThanServeAgainWhenTheHungReadReturnsWithinTheGrace() throws Exception {
    int port = BrokerProcess.freePort();
    int admin = BrokerProcess.freePort();
    Path config = writeConfig(port, admin, Duration.ofMinutes(10));
    Path log = dir.resolve("broker.log");
    try (BrokerProcess broker = BrokerProcess.start(config, log, port)) {
      HungFence hung = HungFence.install(dir.resolve("store"));
      try {
        assertEquals(503, awaitHealthNot200(admin).status());
      } finally {
        hung.release();
      }
      assertEquals(
          ExitCodes.STORE_STALLED,
          broker.awaitExit(StoreFixture.WAIT),
          "exits once the read returns, long before the grace; log: " + log);
    }
    String text = Files.readString(log);
    assertTrue(
        text.contains(
            "STORE STALLED: fence check returned after more than store_io_timeout (2000 ms); a"
                + " store that stalled is not trusted to serve again; exiting with status 9"),
        text);
  }

  private Path writeConfig(int port, int admin, Duration grace) throws IOException {
    Files.writeString(dir.resolve("queues.conf"), "stall.q  failsafe\n");
    Files.writeString(dir.resolve("topics.conf"), ">\n");
    Path config = dir.resolve("tandem.conf");
    Files.writeString(
        config,
        "listen = amqp://127.0.0.1:"
            + port
            + "\nadmin_listen = http://127.0.0.1:"
            + admin
            + "\nstore = store\nstore_minimum = 1MB\nqueues = queues.conf\ntopics = topics.conf\n"
            + "store_io_timeout = "
            + TIMEOUT.toSeconds()
            + "\nstore_io_exit_grace = "
            + grace.toSeconds()
            + "\n");
    return config;
  }

  private static void send(Connection c, List<String> acked) throws JMSException {
    Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
    MessageProducer p = s.createProducer(s.createQueue("stall.q"));
    p.setDeliveryMode(DeliveryMode.PERSISTENT);
    for (int i = 0; i < MESSAGES; i++) {
      p.send(s.createTextMessage("m" + i));
      acked.add("m" + i);
    }
    s.close();
  }

  private static List<String> receiveAll(int port) throws JMSException {
    List<String> got = new ArrayList<>();
    try (Connection c = new JmsConnectionFactory("amqp://127.0.0.1:" + port).createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer = s.createConsumer(s.createQueue("stall.q"));
      Message m;
      while (got.size() < MESSAGES && (m = consumer.receive(10_000)) != null) {
        got.add(((TextMessage) m).getText());
      }
    }
    return got;
  }

  private static AdminHttp.Reply awaitHealthNot200(int admin) {
    AtomicReference<AdminHttp.Reply> last = new AtomicReference<>();
    Await.until(
        "/health to leave 200",
        StoreFixture.WAIT,
        () -> {
          AdminHttp.Reply r = get(admin, "/health");
          last.set(r);
          return r != null && r.status() != 200;
        });
    return last.get();
  }

  private static void assertStateAndMetricsSayStalled(int admin) {
    // /health and store_io see the stall at once; the role follows at the watchdog's next check
    Await.until(
        "/state shows the stalled role",
        StoreFixture.WAIT,
        () -> "stalled".equals(get(admin, "/state").json().get("role")));
    JsonTree state = get(admin, "/state").json();
    assertEquals("stalled", state.string("store_io", "state"), state.toString());
    assertEquals("fence check", state.string("store_io", "oldest_operation"), state.toString());
    String metrics = get(admin, "/metrics").body();
    assertTrue(metrics.contains("\ntandem_store_stalled 1.0\n"), metrics);
    assertTrue(metrics.contains("tandem_role{role=\"stalled\"} 1.0"), metrics);
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** GET with a short timeout; null if nothing answered (a hung endpoint fails the test). */
  private static AdminHttp.Reply get(int port, String path) {
    return AdminHttp.local(port).poll(path).orElse(null);
  }
}
