package io.tandem.process.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProcessLoggingTest {

  @AfterEach
  void restore() {
    ProcessLogging.install(Level.INFO);
  }

  @Test
  void shouldFormatOneLinePerEventWithTimeLevelLoggerAndMessage() {
    LogRecord r = new LogRecord(Level.WARNING, "disk {0} is slow");
    r.setParameters(new Object[] {"sda"});
    r.setLoggerName("io.tandem.broker.store.Committer");
    r.setInstant(java.time.Instant.parse("2026-01-02T03:04:05.678Z"));

    assertEquals(
        "2026-01-02T03:04:05.678Z WARNING Committer: disk sda is slow" + System.lineSeparator(),
        new LineFormat().format(r));
  }

  @Test
  void shouldIndentTheStackTraceBelowTheLine() {
    LogRecord r = new LogRecord(Level.SEVERE, "failed");
    r.setLoggerName("x.Y");
    r.setThrown(new IllegalStateException("boom"));

    String text = new LineFormat().format(r);

    assertTrue(text.contains(" SEVERE  Y: failed" + System.lineSeparator()), text);
    assertTrue(text.contains("java.lang.IllegalStateException: boom"), text);
    assertTrue(text.contains("\tat "), text);
  }

  @Test
  void shouldQuietZooKeeperAndCuratorButNeverBelowTheDaemonsLevel() {
    ProcessLogging.install(Level.FINE);
    assertFalse(Logger.getLogger("org.apache.zookeeper.ClientCnxn").isLoggable(Level.INFO));
    assertFalse(Logger.getLogger("org.apache.curator.framework").isLoggable(Level.INFO));
    assertTrue(Logger.getLogger("io.netty.channel").isLoggable(Level.INFO));
    assertFalse(Logger.getLogger("io.netty.channel").isLoggable(Level.FINE));
    assertTrue(Logger.getLogger("io.tandem.broker").isLoggable(Level.FINE));

    ProcessLogging.install(Level.SEVERE);
    assertFalse(Logger.getLogger("io.netty.channel").isLoggable(Level.INFO));
    assertFalse(Logger.getLogger("org.apache.zookeeper").isLoggable(Level.WARNING));
  }

  @Test
  void shouldApplyConfiguredLevelsUpAndDownAndLetLowerOnesThroughTheHandler() {
    ProcessLogging.install(Level.INFO);

    ProcessLogging.apply(
        new LogLevels(
            Map.of(
                "io.tandem.broker.store", Level.FINE,
                "org.apache.zookeeper", Level.INFO,
                "io.tandem.broker.amqp", Level.WARNING)));

    assertTrue(Logger.getLogger("io.tandem.broker.store.Compactor").isLoggable(Level.FINE));
    assertFalse(Logger.getLogger("io.tandem.broker.destination").isLoggable(Level.FINE));
    assertTrue(Logger.getLogger("org.apache.zookeeper.ClientCnxn").isLoggable(Level.INFO));
    assertFalse(Logger.getLogger("io.tandem.broker.amqp.AmqpServer").isLoggable(Level.INFO));
    Level handler = Logger.getLogger("").getHandlers()[0].getLevel();
    assertEquals(Level.FINE, handler, "the handler lets the store's FINE lines through");
  }
}
