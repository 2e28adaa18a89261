package io.tandem.broker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.TestBroker;
import io.tandem.broker.store.StoreOptions;
import io.tandem.broker.store.Stores;
import io.tandem.testing.AdminHttp;
import io.tandem.testing.DocBlocks;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} in Prometheus text format, against a broker with a journal store. */
class MetricsEndpointTest {
  private static final Path DOC = Path.of("../docs/monitoring.md");
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (-?[0-9.E+-]+|NaN|[+-]Inf)$");

  @TempDir Path dir;

  private TestBroker broker() throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("queues.conf"), "m.safe  failsafe\n>\n");
    return TestBroker.start(
        Stores.open(StoreOptions.defaults(dir.resolve("store"), 1).withMinimumSize(1 << 20)),
        dir,
        "queues = queues.conf");
  }

  /** Parses the exposition; fails on any line that is neither a comment nor a sample. */
  private static java.util.Map<String, Double> samples(String text) {
    java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      assertTrue(m.matches(), "not a Prometheus sample line: " + line);
      out.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
    }
    return out;
  }

  @Test
  void shouldExposeRoleStoreAndDestinationMetrics() throws Exception {
    try (TestBroker broker = broker()) {
      try (Connection c = broker.connect()) {
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = s.createProducer(s.createQueue("m.safe"));
        p.setDeliveryMode(DeliveryMode.PERSISTENT);
        for (int i = 0; i < 5; i++) {
          p.send(s.createTextMessage("m" + i));
        }
        MessageConsumer consumer = s.createConsumer(s.createQueue("m.safe"));
        for (int i = 0; i < 2; i++) {
          consumer.receive(5_000).acknowledge();
        }
        consumer.close();
        AdminHttp.Reply r = broker.get("/metrics");
        assertEquals(200, r.status());
        java.util.Map<String, Double> m = samples(r.body());
        assertEquals(1.0, m.get("tandem_role{role=\"active\"}"));
        assertEquals(0.0, m.get("tandem_role{role=\"backup\"}"));
        assertEquals(1.0, m.get("tandem_epoch"));
        assertEquals(5.0, m.get("tandem_messages_in_total{destination=\"m.safe\",kind=\"queue\"}"));
        assertTrue(
            m.get("tandem_messages_out_total{destination=\"m.safe\",kind=\"queue\"}") >= 2.0,
            r.body());
        assertEquals(3.0, m.get("tandem_queue_pending_messages{queue=\"m.safe\"}"));
        assertEquals(1.0, m.get("tandem_connections"));
        assertTrue(m.get("tandem_store_flush_seconds_count") >= 5.0, "failsafe sends flushed");
        assertTrue(m.get("tandem_store_group_commit_batches_count") >= 5.0);
        assertTrue(m.get("tandem_store_size_bytes{file=\"sync-msgs.db\"}") > 0);
        assertTrue(m.containsKey("tandem_ft_peer_connected"));
        assertTrue(m.keySet().stream().anyMatch(k -> k.startsWith("jvm_memory_used_bytes")));
        assertTrue(m.containsKey("process_uptime_seconds"));
      }
    }
  }

  @Test
  void shouldDocumentEveryTandemMetric() throws Exception {
    try (TestBroker broker = broker()) {
      try (Connection c = broker.connect()) {
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        s.createProducer(s.createTopic("m.news")).send(s.createTextMessage("x"));
        s.createProducer(s.createQueue("m.q")).send(s.createTextMessage("x"));
      }
      Set<String> families = new TreeSet<>();
      for (String line : broker.get("/metrics").body().split("\n")) {
        if (line.startsWith("# TYPE tandem_")) {
          families.add(line.split(" ")[2]);
        }
      }
      String doc = Files.readString(DOC);
      Set<String> undocumented = new TreeSet<>();
      for (String f : families) {
        if (!doc.contains("`" + f + "`")) {
          undocumented.add(f);
        }
      }
      assertEquals(Set.of(), undocumented, "metrics missing from docs/monitoring.md");
      Set<String> unknownInAlerts = new TreeSet<>();
      Matcher used =
          Pattern.compile("tandem_[a-z_]+")
              .matcher(String.join("\n", DocBlocks.read(DOC, "yaml-alerts")));
      while (used.find()) {
        String name = used.group().replaceAll("_(bucket|count|sum)$", "");
        if (!families.contains(name)) {
          unknownInAlerts.add(used.group());
        }
      }
      assertEquals(Set.of(), unknownInAlerts, "alert rules use metrics the broker does not export");
      assertTrue(families.size() >= 15, families.toString());
    }
  }
}
