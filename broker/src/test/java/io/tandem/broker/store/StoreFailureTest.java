package io.tandem.broker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.BrokerJvm;
import io.tandem.testing.Await;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An I/O error that is not a full disk stops the broker: the failing send gets an error, the
 * process exits with status 1 and a {@code STORE FAILED} line, and what was acknowledged before
 * survives. The error is real: the broker runs under a file-size limit ({@code ulimit -f}), so
 * creating a segment for a message larger than the limit fails with EFBIG.
 */
class StoreFailureTest {
  @TempDir Path dir;

  @Test
  void shouldStopServingAfterAnIoErrorThatIsNotADiskFull() throws Exception {
    Files.writeString(dir.resolve("queues.conf"), "io.q  failsafe\n>\n");
    int port = BrokerProcess.freePort();
    Path config = dir.resolve("tandem.conf");
    Files.writeString(
        config,
        "server = io\nlisten = amqp://127.0.0.1:"
            + port
            + "\nadmin_listen = http://127.0.0.1:"
            + BrokerProcess.freePort()
            + "\nstore = store\nstore_minimum = 64KB\nqueues = queues.conf\n");
    Path log = dir.resolve("broker.log");
    StringBuilder command = new StringBuilder("ulimit -f 1024 && exec");
    for (String word : BrokerJvm.command(config, "256m")) {
      command.append(" '").append(word).append('\'');
    }
    Process broker =
        new ProcessBuilder("sh", "-c", command.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      Await.until("broker listens; log " + log, Duration.ofSeconds(60), () -> open(port));
      JmsConnectionFactory f = new JmsConnectionFactory("amqp://127.0.0.1:" + port);
      try (Connection c = f.createConnection()) {
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = s.createProducer(s.createQueue("io.q"));
        p.setDeliveryMode(DeliveryMode.PERSISTENT);
        for (int i = 0; i < 10; i++) {
          p.send(s.createTextMessage("kept-" + i));
        }
        BytesMessage big = s.createBytesMessage();
        big.writeBytes(new byte[2 * 1024 * 1024]);
        assertThrows(JMSException.class, () -> p.send(big));
      }
      assertTrue(broker.waitFor(30, TimeUnit.SECONDS), "broker stops; log " + log);
      String out = Files.readString(log);
      assertEquals(1, broker.exitValue(), out);
      assertTrue(out.contains("STORE FAILED: "), out);
      assertTrue(out.contains("File too large"), out);
    } finally {
      broker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    try (BrokerProcess again = BrokerProcess.start(config, log, port)) {
      JmsConnectionFactory f = new JmsConnectionFactory("amqp://127.0.0.1:" + port);
      try (Connection c = f.createConnection()) {
        c.start();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createQueue("io.q"));
        int n = 0;
        while (consumer.receive(2_000) != null) {
          n++;
        }
        assertEquals(10, n, "every acknowledged send survives; nothing of the failed one");
      }
      assertEquals(0, again.stop());
    }
  }

  private static boolean open(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
