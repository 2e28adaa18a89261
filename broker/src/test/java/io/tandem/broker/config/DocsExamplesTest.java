package io.tandem.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.DocBlocks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration examples in docs/configuration.md load as the text says. */
class DocsExamplesTest {
  private static final Path DOC = Path.of("../docs/configuration.md");
  @TempDir Path dir;

  @Test
  void shouldLoadTheDocumentedExamples() throws Exception {
    List<String> confs = DocBlocks.read(DOC, "conf");
    List<String> queues = DocBlocks.read(DOC, "queues");
    List<String> users = DocBlocks.read(DOC, "users");
    assertEquals(1, confs.size());
    assertEquals(1, queues.size());
    assertEquals(1, users.size());
    Files.writeString(dir.resolve("queues.conf"), queues.get(0));
    Files.writeString(dir.resolve("topics.conf"), ">\n");
    Path conf = dir.resolve("tandem.conf");
    Files.writeString(conf, confs.get(0));
    BrokerConfig c = ConfigLoader.load(conf);
    assertEquals("orders-broker", c.server());
    assertEquals(10L << 20, c.maxMsgSize());
    assertEquals(100L << 20, c.limits().maxTxnSize());
    assertEquals(java.time.Duration.ofSeconds(5), c.limits().handshakeTimeout());
    assertEquals(1000, c.limits().maxLinks());
    assertEquals(ClientLimits.DEFAULT_MAX_SESSIONS, c.limits().maxSessions());
    DestinationProperties p = c.queues().lookup("orders.new.eu").orElseThrow();
    assertTrue(p.failsafe());
    assertEquals(100_000, p.maxMsgs());
    assertEquals(64L << 20, p.maxBytes());
    assertEquals(OverflowPolicy.DISCARD_OLD, p.overflowPolicy());
    assertEquals(5, p.maxRedelivery());
    assertFalse(c.queues().lookup("invoices").orElseThrow().failsafe());
    Files.writeString(dir.resolve("users"), users.get(0));
    Files.writeString(conf, confs.get(0) + "users = users\n");
    assertEquals(dir.resolve("users"), ConfigLoader.load(conf).security().users());
  }
}
