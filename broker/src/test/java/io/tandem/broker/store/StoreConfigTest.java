package io.tandem.broker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.BrokerException;
import io.tandem.broker.config.BrokerConfig;
import io.tandem.broker.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's keys in {@code tandem.conf}, as docs/store.md shows them. */
class StoreConfigTest {
  @TempDir Path dir;

  private BrokerConfig load(String text) throws Exception {
    Path file = dir.resolve("tandem.conf");
    Files.writeString(file, text);
    return ConfigLoader.load(file);
  }

  @Test
  void shouldUseDefaults() throws Exception {
    BrokerConfig c = load("store = store\n");
    assertEquals(Duration.ofMillis(100), c.storeAsyncFlush());
    assertEquals(64L * 1024 * 1024, c.storeMinimum());
    assertEquals(100_000, c.dupDetectWindow());
    assertEquals(Duration.ofSeconds(10), c.storeIoTimeout());
    assertEquals(Duration.ofSeconds(5), c.storeIoExitGrace());
    assertEquals(StoreWatchdog.DEFAULT_TIMEOUT, c.storeIoTimeout());
    assertEquals(StoreWatchdog.DEFAULT_EXIT_GRACE, c.storeIoExitGrace());
  }

  @Test
  void shouldReadTheDocumentedWatchdogExample() throws Exception {
    BrokerConfig c = load("store_io_timeout = 20sec\nstore_io_exit_grace = 5sec\n");
    assertEquals(Duration.ofSeconds(20), c.storeIoTimeout());
    assertEquals(Duration.ofSeconds(5), c.storeIoExitGrace());
    assertEquals(Duration.ZERO, load("store_io_exit_grace = 0\n").storeIoExitGrace());
  }

  @Test
  void shouldRefuseAStoreIoTimeoutBelowOneSecondWithFileAndLine() {
    BrokerException e =
        assertThrows(
            BrokerException.class, () -> load("server = a\n\nstore_io_timeout = 500msec\n"));
    assertEquals(BrokerException.Category.CONFIG, e.category());
    assertTrue(e.getMessage().contains("tandem.conf:3"), e.getMessage());
    assertTrue(e.getMessage().contains("must be between 1sec"), e.getMessage());
  }

  @Test
  void shouldRefuseBadStoreIoValuesWithTheLine() {
    for (String bad :
        new String[] {
          "store_io_timeout = 11min", "store_io_timeout = soon", "store_io_exit_grace = 1hour"
        }) {
      BrokerException e = assertThrows(BrokerException.class, () -> load("server = a\n" + bad));
      assertEquals(BrokerException.Category.CONFIG, e.category(), bad);
      assertTrue(e.getMessage().contains("tandem.conf:2"), bad + ": " + e.getMessage());
    }
  }

  @Test
  void shouldReadTheDocumentedExample() throws Exception {
    BrokerConfig c =
        load(
            "store = /var/tandem/store\n"
                + "store_async_flush = 50msec\n"
                + "store_minimum = 256MB\n"
                + "dup_detect_window = 250000\n");
    assertEquals(Path.of("/var/tandem/store"), c.store());
    assertEquals(Duration.ofMillis(50), c.storeAsyncFlush());
    assertEquals(256L * 1024 * 1024, c.storeMinimum());
    assertEquals(250_000, c.dupDetectWindow());
  }

  @Test
  void shouldRefuseATinyStoreMinimumWithTheLine() {
    BrokerException e =
        assertThrows(BrokerException.class, () -> load("server = a\nstore_minimum = 1KB\n"));
    assertEquals(BrokerException.Category.CONFIG, e.category());
    assertTrue(e.getMessage().contains(":2"), e.getMessage());
  }
}
