package io.tandem.campaign;

import io.tandem.testing.ClientHistory;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What a campaign did and found, and its table. */
final class Report {
  private final long seed;
  private final int planned;
  private final Map<Fault, long[]> byKind = new EnumMap<>(Fault.class);
  private final List<String> unrecovered = new ArrayList<>();
  private final List<String> exits = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private long operations;
  private long acked;
  private long received;
  private long failedSends;
  private int lost;
  private int unflagged;
  private int phantoms;
  private int order;
  private int overlapping;
  private int staleReports;

  Report(long seed, int planned) {
    this.seed = seed;
    this.planned = planned;
  }

  /** The longest stretch in [from, to] without an acknowledgement ({@code acks} ascending). */
  static long longestGap(long[] acks, long from, long to) {
    long last = from;
    long gap = 0;
    for (long a : acks) {
      if (a <= from) {
        continue;
      }
      if (a > to) {
        break;
      }
      gap = Math.max(gap, a - last);
      last = a;
    }
    return Math.max(gap, to - last);
  }

  synchronized void fault(Fault kind, long gapMs, long recoveryMs) {
    long[] row = byKind.computeIfAbsent(kind, k -> new long[3]);
    row[0]++;
    row[1] = Math.max(row[1], gapMs);
    row[2] = Math.max(row[2], recoveryMs);
  }

  synchronized void unrecovered(Fault kind, String what) {
    unrecovered.add(what);
  }

  synchronized void exited(String what) {
    exits.add(what);
  }

  synchronized void history(ClientHistory h, PrimaryWatch.Verdict verdict) {
    operations = h.ops().size();
    acked = h.ackedCount();
    received = h.receivedCount();
    failedSends = h.ops().stream().filter(o -> o.kind().equals("fail")).count();
    List<String> missing = new ArrayList<>(h.missing());
    lost = missing.size();
    unflagged = h.unflaggedDuplicates().size();
    phantoms = h.phantoms().size();
    order = h.orderViolations().size();
    overlapping = verdict.violations().size();
    staleReports = verdict.staleReports();
    missing.stream().limit(20).forEach(m -> violations.add("lost: " + m));
    violations.addAll(h.violations().stream().limit(20).toList());
    violations.addAll(verdict.violations());
  }

  int faults() {
    return byKind.values().stream().mapToInt(r -> (int) r[0]).sum();
  }

  long acked() {
    return acked;
  }

  /** Every safety violation and every failure to serve again: empty for a passing campaign. */
  synchronized List<String> problems() {
    List<String> all = new ArrayList<>(violations);
    unrecovered.forEach(u -> all.add("unavailable: " + u));
    if (faults() == 0) {
      all.add("no fault was injected");
    }
    return all;
  }

  /** Members that exited by themselves (not a violation by itself: the pair must recover). */
  synchronized List<String> exits() {
    return List.copyOf(exits);
  }

  synchronized String table() {
    StringBuilder t = new StringBuilder();
    t.append(
        String.format("campaign mode ft, seed %d: %d of %d faults%n", seed, faults(), planned));
    t.append(
        String.format(
            "| %-26s | %6s | %22s | %22s |%n",
            "fault", "count", "longest unavailable ms", "longest recovery ms"));
    t.append("|")
        .append("-".repeat(28))
        .append("|")
        .append("-".repeat(8))
        .append("|")
        .append("-".repeat(24))
        .append("|")
        .append("-".repeat(24))
        .append("|\n");
    byKind.forEach(
        (kind, row) ->
            t.append(
                String.format(
                    "| %-26s | %6d | %22d | %22d |%n", kind.label, row[0], row[1], row[2])));
    t.append(String.format("%n| %-44s | %10s |%n", "measure", "value"));
    t.append("|").append("-".repeat(46)).append("|").append("-".repeat(12)).append("|\n");
    row(t, "operations (send, ok, fail, recv)", operations);
    row(t, "acknowledged sends", acked);
    row(t, "failed sends (told failed, in doubt)", failedSends);
    row(t, "received copies", received);
    row(t, "lost acknowledged sends (must be 0)", lost);
    row(t, "unflagged duplicates (must be 0)", unflagged);
    row(t, "phantoms (must be 0)", phantoms);
    row(t, "per-producer order violations (must be 0)", order);
    row(t, "overlapping primaries (must be 0)", overlapping);
    row(t, "stale primary reports (no work taken)", staleReports);
    row(t, "times not serving again in bound (must be 0)", unrecovered.size());
    row(t, "members exiting by themselves", exits.size());
    return t.toString();
  }

  private static void row(StringBuilder t, String name, long value) {
    t.append(String.format("| %-44s | %10d |%n", name, value));
  }
}
