package io.tandem.broker.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tandem.broker.TestBroker;
import io.tandem.testing.Await;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Idle-timeout heartbeats keep a silent connection open in both directions. */
class HeartbeatTest {
  @TempDir Path dir;

  @Test
  void shouldKeepAnIdleConnectionAliveWithHeartbeats() throws Exception {
    try (TestBroker broker = TestBroker.start(dir, "amqp_idle_timeout = 1sec");
        Connection c = broker.factory("amqp.idleTimeout=1000").createConnection()) {
      AtomicReference<Exception> failure = new AtomicReference<>();
      c.setExceptionListener(failure::set);
      c.start();
      long idleSince = System.nanoTime();
      // Several idle timeouts pass without application traffic; only heartbeats flow.
      Await.until(
          "four idle timeouts to pass",
          Duration.ofSeconds(30),
          () ->
              System.nanoTime() - idleSince > Duration.ofSeconds(4).toNanos()
                  || failure.get() != null);
      assertNull(failure.get(), "connection stayed up");
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      var q = s.createQueue("after.idle");
      s.createProducer(q).send(s.createTextMessage("still here"));
      assertEquals("still here", ((TextMessage) s.createConsumer(q).receive(5000)).getText());
    }
  }
}
