package io.tandem.broker.storagecheck;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Criterion 1: a writer process appends numbered blocks with an fdatasync after each group and is
 * SIGKILLed at a random moment, again and again, each new writer resuming after the last valid
 * block. The peer scans the file all the while; after each kill this process checks it too.
 */
final class WriteOrderCheck {
  static final String NAME = "write order";
  private static final int GROUP = 8;

  private WriteOrderCheck() {}

  static CriterionResult run(Session s) {
    CheckOptions o = s.options();
    Path file = s.runDir().resolve("order.dat");
    long nonce = s.random().nextLong();
    int scanStep =
        s.ask(Map.of("job", "scan-order", "file", file.toString(), "nonce", Long.toString(nonce)));
    Tally t = new Tally();
    try {
      for (int i = 1; i <= o.kills(); i++) {
        killOnce(s, file, nonce, i, t);
      }
    } finally {
      s.rendezvous().stop(scanStep);
    }
    Map<String, String> peer = s.answer(scanStep, Duration.ofSeconds(60));
    long peerViolations = Long.parseLong(peer.get("violations"));
    if (peerViolations > 0) {
      t.problems.add(
          "the peer saw block n+1 without block n in "
              + peerViolations
              + " scans (first: "
              + peer.get("first")
              + ")");
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("writers_killed", o.kills());
    details.put("kill_after_ms_min", t.minDelay);
    details.put("kill_after_ms_max", t.maxDelay);
    details.put("blocks_acknowledged", t.acknowledged);
    details.put("peer_scans", Long.parseLong(peer.get("scans")));
    details.put("peer_violations", peerViolations);
    if (!t.problems.isEmpty()) {
      return new CriterionResult(
          NAME,
          false,
          String.join("; ", t.problems)
              + ". The storage made later writes visible before earlier ones (or lost flushed"
              + " ones): a journal on it can show a record whose predecessors are missing, so"
              + " recovery can apply a batch without the batches before it.",
          details);
    }
    return new CriterionResult(
        NAME,
        true,
        o.kills()
            + " writer processes SIGKILLed at random points ("
            + t.minDelay
            + "-"
            + t.maxDelay
            + " ms into writing); "
            + t.acknowledged
            + " blocks acknowledged by fdatasync, all intact after every kill, never a valid"
            + " block after a missing one; the peer scanned the file "
            + peer.get("scans")
            + " times while it was written and never saw block n+1 without block n",
        details);
  }

  /** What the kill rounds found. */
  private static final class Tally {
    final List<String> problems = new ArrayList<>();
    long minDelay = Long.MAX_VALUE;
    long maxDelay;
    long acknowledged;
  }

  /** Starts a writer, kills it at a random moment, and checks the file it leaves. */
  private static void killOnce(Session s, Path file, long nonce, int round, Tally t) {
    CheckOptions o = s.options();
    ChildProcess writer =
        s.child(
            "order-writer-" + round,
            "writer",
            file.toString(),
            Long.toString(nonce),
            Integer.toString(GROUP),
            Long.toString(o.maxOrderBlocks()));
    writer.awaitLine("started", Duration.ofSeconds(30));
    long delay = 20 + s.random().nextInt(o.quick() ? 150 : 400);
    pause(delay);
    writer.kill();
    t.minDelay = Math.min(t.minDelay, delay);
    t.maxDelay = Math.max(t.maxDelay, delay);
    long flushed = lastFlushed(writer.lines());
    t.acknowledged = Math.max(t.acknowledged, flushed);
    Blocks.Scan scan = Blocks.scan(file, nonce, 0);
    if (scan.validAfterGap() > 0) {
      t.problems.add(
          "after kill "
              + round
              + ", "
              + scan.validAfterGap()
              + " valid blocks follow missing block "
              + scan.firstInvalid());
    }
    if (scan.firstInvalid() < flushed) {
      t.problems.add(
          "after kill "
              + round
              + ", block "
              + scan.firstInvalid()
              + " is missing although the writer's fdatasync had acknowledged "
              + flushed
              + " blocks");
    }
  }

  private static long lastFlushed(List<String> lines) {
    long n = 0;
    for (String l : lines) {
      if (l.startsWith("flushed ") || l.startsWith("full ")) {
        n = Math.max(n, Long.parseLong(l.substring(l.indexOf(' ') + 1)));
      }
    }
    return n;
  }

  /** The random moment at which the writer dies: deliberate, not a wait for a condition. */
  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
