package io.tandem.broker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.AdminHttp;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The case, with the default configuration: Python Qpid Proton sends one durable 1.15 GB
 * message to a failsafe queue of a broker whose heap (256 MB) could never hold it. The broker
 * refuses it while it arrives, keeps serving, and after a restart its store opens with every
 * message acknowledged before. Logs stay in {@code target/large-message-test}.
 */
class LargeMessageTest {
  private static final long SIZE = (long) (1.15 * (1L << 30));
  private static final int BEFORE = 10;

  private static void requirePythonProton() throws Exception {
    Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import proton").start();
    try {
      boolean ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
      if (System.getenv("CI") == null) {
        Assumptions.assumeTrue(ok, "python3-qpid-proton is not installed");
      }
      assertTrue(ok, "CI installs python3-qpid-proton; it is missing");
    } finally {
      p.destroyForcibly();
    }
  }

  private static Path writeConfig(Path dir, int port, int admin) throws Exception {
    Files.writeString(dir.resolve("queues.conf"), "big.q  failsafe\n>\n");
    Path config = dir.resolve("tandem.conf");
    Files.writeString(
        config,
        "server = large\n"
            + "listen = amqp://127.0.0.1:"
            + port
            + "\nadmin_listen = http://127.0.0.1:"
            + admin
            + "\nstore = store\nstore_minimum = 1MB\nqueues = queues.conf\n");
    return config;
  }

  private static Connection connect(int port) throws Exception {
    Connection c = new JmsConnectionFactory("amqp://127.0.0.1:" + port).createConnection();
    c.start();
    return c;
  }

  private static void send(int port, String... bodies) throws Exception {
    try (Connection c = connect(port)) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer p = s.createProducer(s.createQueue("big.q"));
      p.setDeliveryMode(DeliveryMode.PERSISTENT);
      for (String body : bodies) {
        p.send(s.createTextMessage(body));
      }
    }
  }

  private static String sendLarge(int port, Path log) throws Exception {
    Process p =
        new ProcessBuilder(
                "/usr/bin/python3",
                "src/test/python/proton_send_large.py",
                "127.0.0.1:" + port,
                "big.q",
                Long.toString(SIZE))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      assertTrue(p.waitFor(300, TimeUnit.SECONDS), "python sender finished");
      String out = Files.readString(log);
      assertEquals(0, p.exitValue(), out);
      return out;
    } finally {
      p.destroyForcibly();
    }
  }

  private static int health(int admin) {
    return AdminHttp.local(admin).withTimeout(Duration.ofSeconds(30)).get("/health").status();
  }

  @Test
  void shouldRefuseA115GbMessageWhileItArrivesAndKeepTheStoreReadable() throws Exception {
    requirePythonProton();
    Path dir = Path.of("target", "large-message-test", Long.toString(System.currentTimeMillis()));
    Files.createDirectories(dir);
    int port = BrokerProcess.freePort();
    int admin = BrokerProcess.freePort();
    Path config = writeConfig(dir, port, admin);
    Path log = dir.resolve("broker.log");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < BEFORE; i++) {
      expected.add("before-" + i);
    }
    try (BrokerProcess broker = BrokerProcess.start(config, log, port)) {
      send(port, expected.toArray(new String[0]));
      String out = sendLarge(port, dir.resolve("python.log"));
      assertTrue(out.contains("refused amqp:link:message-size-exceeded"), out);
      assertEquals(200, health(admin), "broker still serves; log: " + log);
      send(port, "after");
      expected.add("after");
      assertEquals(0, broker.stop(), "clean stop; log: " + log);
    }
    assertTrue(
        Files.readString(log, StandardCharsets.UTF_8).contains("max_msg_size"),
        "the refusal is logged");
    try (BrokerProcess broker = BrokerProcess.start(config, log, port)) {
      List<String> got = new ArrayList<>();
      try (Connection c = connect(port)) {
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createQueue("big.q"));
        for (var m = consumer.receive(10_000); m != null; m = consumer.receive(1_000)) {
          got.add(((TextMessage) m).getText());
        }
      }
      assertEquals(0, broker.stop(), "clean stop after recovery; log: " + log);
      assertEquals(expected, got, "log: " + log);
    }
  }
}
