package io.tandem.broker.storagecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.JsonTree;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckReportTest {
  private static CheckReport report(boolean lockPassed) {
    return new CheckReport(
        Path.of("/srv/store"),
        "a",
        "b pid 1",
        List.of(
            new CriterionResult(StorageCheck.SHARED, true, "answered", Map.of()),
            new CriterionResult(WriteOrderCheck.NAME, true, "ok", Map.of("peer_scans", 3L)),
            new CriterionResult(PersistenceCheck.NAME, true, "ok", Map.of()),
            new CriterionResult(LockCheck.NAME, lockPassed, "both granted", Map.of()),
            new CriterionResult(OwnershipCheck.NAME, true, "ok", Map.of())),
        Map.of("fdatasync latency", "p50 1 ms"));
  }

  @Test
  void shouldPassOnlyWhenEveryCriterionPassed() {
    assertTrue(report(true).passed());
    assertFalse(report(false).passed());
  }

  @Test
  void shouldNameTheFailedCriterionInTheVerdict() {
    String text = report(false).text();
    assertTrue(text.contains("FAIL distributed file locking: both granted\n"), text);
    assertTrue(text.contains("verdict: FAIL: distributed file locking; do not put"), text);
  }

  @Test
  void shouldWriteOneJsonObjectWithEveryCriterion() {
    String json = report(true).json();
    assertFalse(json.contains("\n"), "one line: " + json);
    JsonTree t = JsonTree.parse(json);
    assertEquals("/srv/store", t.string("dir"));
    assertEquals("a", t.string("host"));
    assertEquals("b pid 1", t.string("peer"));
    assertEquals(5, t.list("criteria").size(), json);
    JsonTree order = t.find("criteria", "name", "write order");
    assertEquals("PASS", order.string("result"));
    assertEquals("ok", order.string("evidence"));
    assertEquals(3, order.number("details", "peer_scans"));
    assertEquals("p50 1 ms", t.string("measurements", "fdatasync latency"));
    assertTrue(t.bool("passed"));
    assertEquals(
        "PASS: this storage met all four criteria in this run; it may hold the store of a"
            + " fault-tolerant pair (hot-warm) or of an HA cluster (hot-cold)",
        t.string("verdict"));
  }

  @Test
  void shouldWriteNullForAMissingPeer() {
    JsonTree t =
        JsonTree.parse(new CheckReport(Path.of("/x"), "a", null, List.of(), Map.of()).json());
    assertTrue(t.has("peer"), t.toString());
    assertNull(t.get("peer"));
  }

  @Test
  void shouldNeverPassAnEmptyReport() {
    assertFalse(new CheckReport(Path.of("/x"), "a", null, List.of(), Map.of()).passed());
  }
}
