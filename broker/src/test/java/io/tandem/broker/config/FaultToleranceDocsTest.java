package io.tandem.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.DocBlocks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pair configurations in docs/fault-tolerance.md load, and form a pair. */
class FaultToleranceDocsTest {
  private static final Path DOC = Path.of("../docs/fault-tolerance.md");
  @TempDir Path dir;

  private BrokerConfig load(String tag) throws Exception {
    Path conf = dir.resolve(tag + ".conf");
    Files.writeString(conf, DocBlocks.only(DOC, tag));
    return ConfigLoader.load(conf);
  }

  @Test
  void shouldDescribeAPairThatNamesEachOther() throws Exception {
    BrokerConfig a = load("conf-ft-a");
    BrokerConfig b = load("conf-ft-b");
    assertEquals(a.server(), b.server());
    assertEquals(a.store(), b.store());
    assertEquals("mq2.example.com", a.ft().peer().host());
    assertEquals("mq1.example.com", b.ft().peer().host());
    assertEquals(Duration.ofSeconds(3), a.ft().heartbeat());
    assertEquals(Duration.ofSeconds(10), a.ft().activation());
    assertTrue(a.ft().fileLock());
    assertTrue(a.ft().follow());
    assertTrue(b.ft().follow());
    BrokerConfig zk = load("conf-ft-zk");
    assertFalse(zk.ft().fileLock());
    assertEquals("/tandem/orders", zk.ft().zooKeeperLock().path());
    assertEquals(Duration.ofSeconds(10), zk.ft().zooKeeperLock().sessionTimeout());
  }
}
