package io.tandem.broker.storagecheck;

import io.tandem.broker.BrokerException;
import io.tandem.lock.LockException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The peer of a storage check: {@code tandem storage-check --peer DIR} on the second host, or a
 * child process of the checker on a single host. It joins the run it finds in {@code DIR} and
 * executes the checker's requests until told it is done.
 */
public final class Peer {
  /** Longest pause between two requests of a live run (the checker's local phases). */
  private static final Duration IDLE = Duration.ofMinutes(5);

  private static final Duration SLICE = Duration.ofSeconds(1);

  private final Rendezvous run;
  private StoreOwner owner;

  private Peer(Rendezvous run) {
    this.run = run;
  }

  /**
   * Waits up to {@code joinTimeout} for a check to start in {@code dir}, serves it, and returns the
   * exit status: 0 when the checker finished the run, 1 when none appeared or it vanished.
   */
  public static int serve(Path dir, Duration joinTimeout, PrintWriter out) {
    out.println("tandem storage-check peer on " + Rendezvous.hostName() + ": waiting in " + dir);
    out.flush();
    Optional<Rendezvous> joined = Rendezvous.join(dir, joinTimeout);
    if (joined.isEmpty()) {
      out.println(
          "FAIL: no storage check started in "
              + dir
              + " within "
              + joinTimeout.toSeconds()
              + " s. Either none was started, or the checker's directory is not the same storage"
              + " as this one (a different export, an unmounted volume, a local directory).");
      out.flush();
      return 1;
    }
    out.println("joined " + joined.get().dir());
    out.flush();
    return new Peer(joined.get()).loop(out);
  }

  private int loop(PrintWriter out) {
    try {
      for (int step = 1; ; step++) {
        Map<String, String> req = nextRequest(step);
        if (req == null) {
          out.println("FAIL: the checker stopped answering (run removed or idle for " + IDLE + ")");
          return 1;
        }
        if ("done".equals(req.get("job"))) {
          out.println("done: the checker finished the run");
          return 0;
        }
        run.respond(step, execute(step, req));
      }
    } finally {
      closeOwner();
      out.flush();
    }
  }

  private Map<String, String> nextRequest(int step) {
    long deadline = System.nanoTime() + IDLE.toNanos();
    while (System.nanoTime() < deadline) {
      Map<String, String> req = run.awaitRequest(step, SLICE);
      if (req != null) {
        return req;
      }
      if (!run.isCurrent()) {
        return null;
      }
    }
    return null;
  }

  private Map<String, String> execute(int step, Map<String, String> req) {
    try {
      return switch (req.get("job")) {
        case "scan-order" -> scanOrder(step, Path.of(req.get("file")), nonce(req));
        case "verify-persisted" -> verifyPersisted(req);
        case "contend" ->
            LockContention.run(
                    Path.of(req.get("dir")),
                    LockSimulation.of(req.get("locks")),
                    "peer",
                    Integer.parseInt(req.get("rounds")))
                .toMap();
        case "take-ownership" -> takeOwnership(req);
        case "recover-again" -> recoverAgain(req);
        default -> Map.of("error", "unknown job " + req.get("job"));
      };
    } catch (BrokerException | LockException | IllegalArgumentException e) {
      return Map.of("error", String.valueOf(e.getMessage()));
    }
  }

  private static long nonce(Map<String, String> req) {
    return Long.parseLong(req.get("nonce"));
  }

  /** Scans the order file again and again until the checker says stop. */
  private Map<String, String> scanOrder(int step, Path file, long nonce) {
    long scans = 0;
    long from = 0;
    long maxBlocks = 0;
    long violations = 0;
    String first = "";
    long deadline = System.nanoTime() + IDLE.toNanos();
    while (!run.stopped(step) && System.nanoTime() < deadline) {
      Blocks.Scan s = Blocks.scan(file, nonce, from);
      scans++;
      maxBlocks = Math.max(maxBlocks, s.blocks());
      if (s.validAfterGap() > 0) {
        violations++;
        if (first.isEmpty()) {
          first = s.validAfterGap() + " valid blocks after missing block " + s.firstInvalid();
        }
      }
      from = Math.max(0, Math.min(s.firstInvalid(), s.blocks()) - 1);
    }
    Map<String, String> m = new LinkedHashMap<>();
    m.put("scans", Long.toString(scans));
    m.put("blocks", Long.toString(maxBlocks));
    m.put("violations", Long.toString(violations));
    m.put("first", first);
    return m;
  }

  private static Map<String, String> verifyPersisted(Map<String, String> req) {
    Blocks.Scan s = Blocks.scan(Path.of(req.get("file")), nonce(req), 0);
    return Map.of(
        "intact", Long.toString(s.firstInvalid()), "afterGap", Long.toString(s.validAfterGap()));
  }

  private Map<String, String> takeOwnership(Map<String, String> req) {
    closeOwner();
    owner = StoreOwner.take(Path.of(req.get("store")), LockSimulation.of(req.get("locks")), "peer");
    return ownerResult(owner);
  }

  private Map<String, String> recoverAgain(Map<String, String> req) {
    closeOwner();
    try (StoreOwner again =
        StoreOwner.take(Path.of(req.get("store")), LockSimulation.of(req.get("locks")), "peer")) {
      return ownerResult(again);
    }
  }

  private static Map<String, String> ownerResult(StoreOwner o) {
    return Map.of(
        "epoch",
        Long.toString(o.epoch()),
        "ids",
        StoreOwner.ids(o.recovered()),
        "digest",
        StoreOwner.digest(o.recovered()));
  }

  private void closeOwner() {
    if (owner != null) {
      StoreOwner o = owner;
      owner = null;
      o.close();
    }
  }
}
