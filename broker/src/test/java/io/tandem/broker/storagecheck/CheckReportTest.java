package io.tandem.broker.storagecheck;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    assertTrue(
        json.startsWith("{\"dir\":\"/srv/store\",\"host\":\"a\",\"peer\":\"b pid 1\""), json);
    assertTrue(
        json.contains(
            "{\"name\":\"write order\",\"result\":\"PASS\",\"evidence\":\"ok\","
                + "\"details\":{\"peer_scans\":3}}"),
        json);
    assertTrue(
        json.endsWith(
            "\"passed\":true,\"verdict\":\"PASS: this storage met all four"
                + " criteria in this run; it may hold the store of a fault-tolerant pair (hot-warm) or of"
                + " an HA cluster (hot-cold)\"}"),
        json);
  }

  @Test
  void shouldNeverPassAnEmptyReport() {
    assertFalse(new CheckReport(Path.of("/x"), "a", null, List.of(), Map.of()).passed());
  }
}
