package io.tandem.broker.storagecheck;

import io.tandem.broker.admin.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a storage check: one line per criterion, informative measurements, a verdict.
 *
 * @param dir the checked directory
 * @param host this host
 * @param peer who answered as the peer (host and pid), or null if nobody did
 * @param criteria the verdicts, the shared-directory check first
 * @param measurements figures that qualify nothing on their own, by name
 */
public record CheckReport(
    Path dir,
    String host,
    String peer,
    List<CriterionResult> criteria,
    Map<String, String> measurements) {

  /** True only if every criterion passed. */
  public boolean passed() {
    return !criteria.isEmpty() && criteria.stream().allMatch(CriterionResult::passed);
  }

  /** The verdict line. */
  public String verdict() {
    if (passed() && criteria.size() < 5) {
      return "PASS: "
          + String.join(", ", criteria.stream().map(CriterionResult::name).toList())
          + " held in this run";
    }
    if (passed()) {
      return "PASS: this storage met all four criteria in this run; it may hold the store of a"
          + " fault-tolerant pair (hot-warm) or of an HA cluster (hot-cold)";
    }
    List<String> failed = new ArrayList<>();
    criteria.stream().filter(c -> !c.passed()).forEach(c -> failed.add(c.name()));
    return "FAIL: "
        + String.join(", ", failed)
        + "; do not put a Tandem store here"
        + " (see docs/storage-check.md for what each failure means)";
  }

  /** The report for a terminal. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    sb.append("tandem storage-check ").append(dir).append(" (host ").append(host);
    sb.append(peer == null ? ", no peer" : ", peer " + peer).append(")\n");
    for (CriterionResult c : criteria) {
      sb.append(c.passed() ? "PASS " : "FAIL ").append(c.name()).append(": ");
      sb.append(c.evidence()).append('\n');
    }
    if (!measurements.isEmpty()) {
      sb.append("measurements (informative):\n");
      measurements.forEach((k, v) -> sb.append("  ").append(k).append(": ").append(v).append('\n'));
    }
    sb.append("verdict: ").append(verdict()).append('\n');
    return sb.toString();
  }

  /** The report as one JSON object. */
  public String json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dir", dir.toString());
    m.put("host", host);
    m.put("peer", peer);
    List<Map<String, Object>> list = new ArrayList<>();
    for (CriterionResult c : criteria) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", c.name());
      e.put("result", c.passed() ? "PASS" : "FAIL");
      e.put("evidence", c.evidence());
      e.put("details", c.details());
      list.add(e);
    }
    m.put("criteria", list);
    m.put("measurements", measurements);
    m.put("passed", passed());
    m.put("verdict", verdict());
    return Json.write(m);
  }
}
