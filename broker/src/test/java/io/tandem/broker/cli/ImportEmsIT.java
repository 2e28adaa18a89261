package io.tandem.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.AdminHttp;
import io.tandem.testing.Await;
import io.tandem.testing.ChildProcess;
import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An EMS configuration directory converted by {@code bin/tandem config import-ems}, and {@code
 * bin/tandem broker} started on the result: a converted user sends to and receives from a converted
 * secure queue with Qpid JMS, through the converted group's acl grant.
 */
class ImportEmsIT {
  private static final Path TANDEM = DocsBroker.HOME.resolve("bin/tandem");

  @TempDir Path dir;

  private void emsFile(String name, String text) throws Exception {
    Files.writeString(Files.createDirectories(dir.resolve("ems")).resolve(name), text);
  }

  @Test
  void shouldServeAConvertedQueueToAConvertedUser() throws Exception {
    int amqp = AdminHttp.freePort();
    int admin = AdminHttp.freePort();
    emsFile(
        "tibemsd.conf",
        "server = ORDERS\nlisten = tcp://127.0.0.1:"
            + amqp
            + "\nstore = datastore\nauthorization = enabled\nusers = users.conf\n"
            + "groups = groups.conf\nacl_list = acl.conf\nqueues = queues.conf\n"
            + "topics = topics.conf\nlogfile = /var/log/ems/orders.log\n");
    emsFile("users.conf", "alice:s3cret:\"Order entry\"\nbob:$2$Ym9i:\"Warehouse\"\n");
    emsFile("groups.conf", "> desk:\"Order desk\"\nalice\n");
    emsFile("acl.conf", "GROUP=desk  QUEUE=orders.>  PERM=send,receive\n");
    emsFile("queues.conf", "orders.>  secure,failsafe,exclusive\n");
    emsFile("topics.conf", ">\n");

    Path err = dir.resolve("import.err");
    Process p =
        new ProcessBuilder(TANDEM.toString(), "config", "import-ems", "ems", "--out", "tandem")
            .directory(dir.toFile())
            .redirectOutput(dir.resolve("import.out").toFile())
            .redirectError(err.toFile())
            .start();
    try {
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "import-ems did not finish");
    } finally {
      p.destroyForcibly();
    }
    List<String> report =
        Files.readAllLines(err).stream().filter(l -> l.startsWith("ems/")).toList();
    assertEquals(ConfigCommand.ImportEms.NOT_ALL_MAPPED, p.exitValue(), String.join("\n", report));
    assertEquals(3, report.size(), report.toString());
    assertTrue(report.get(0).startsWith("ems/tibemsd.conf:10: logfile has no equivalent"));
    assertTrue(report.get(1).startsWith("ems/queues.conf:1: 'orders.>': property 'exclusive'"));
    assertTrue(report.get(2).startsWith("ems/users.conf:2: user 'bob'"));

    // the one key EMS has no counterpart for that a test on a shared machine must set
    Path conf = dir.resolve("tandem/tandem.conf");
    Files.writeString(
        conf, "admin_listen = http://127.0.0.1:" + admin + "\n", StandardOpenOption.APPEND);
    ProcessBuilder pb =
        new ProcessBuilder(TANDEM.toString(), "broker", "--config", conf.toString())
            .directory(dir.toFile());
    try (ChildProcess broker = ChildProcess.start(pb, dir.resolve("broker.log"))) {
      Await.until(
          "the broker on the converted configuration serves (log " + broker.log() + ")",
          Duration.ofSeconds(60),
          () -> AdminHttp.status(admin, "/health") == 200);
      sendAndReceive(amqp);
      assertEquals(ExitCodes.OK, broker.stop(Duration.ofSeconds(30)), broker.logText());
    }
  }

  private static void sendAndReceive(int port) throws Exception {
    JmsConnectionFactory factory =
        new JmsConnectionFactory("amqp://127.0.0.1:" + port + "?amqp.saslMechanisms=SCRAM-SHA-256");
    try (Connection c = factory.createConnection("alice", "s3cret")) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Queue q = s.createQueue("orders.new");
      MessageProducer producer = s.createProducer(q);
      producer.send(s.createTextMessage("order 1"));
      MessageConsumer consumer = s.createConsumer(q);
      TextMessage m = (TextMessage) consumer.receive(10_000);
      assertEquals("order 1", m == null ? null : m.getText());
    }
    // bob's EMS password could not be converted: he cannot log in until given one
    try (Connection c = factory.createConnection("bob", "anything")) {
      c.start();
      throw new AssertionError("bob logged in without a converted password");
    } catch (JMSSecurityException expected) {
      // refused, as the report said
    }
  }
}
