package io.tandem.broker.storagecheck;

import io.tandem.broker.BrokerException;
import io.tandem.lock.FencedLock;
import io.tandem.lock.Lease;
import io.tandem.lock.LockException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Criterion 3: this process and the peer contend for the lock many times at once; afterwards a
 * holder process is SIGKILLed several times and the time until this process is granted the lock is
 * measured.
 */
final class LockCheck {
  static final String NAME = "distributed file locking";
  private static final Duration RELEASE_LIMIT = Duration.ofSeconds(30);

  private LockCheck() {}

  static CriterionResult run(Session s) {
    CheckOptions o = s.options();
    Path dir = s.runDir().resolve("lock-check");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new BrokerException(BrokerException.Category.STORE_IO, "cannot create " + dir, e);
    }
    int step =
        s.ask(
            Map.of(
                "job",
                "contend",
                "dir",
                dir.toString(),
                "locks",
                o.locks().label(),
                "rounds",
                Integer.toString(o.contentionRounds())));
    LockContention.Outcome mine =
        LockContention.run(dir, o.locks(), "checker", o.contentionRounds());
    LockContention.Outcome theirs =
        LockContention.Outcome.fromMap(s.answer(step, Duration.ofMinutes(5)));
    Map<String, Object> details = new LinkedHashMap<>();
    List<String> problems = contentionProblems(dir, mine, theirs, details);
    if (mine.error() != null || theirs.error() != null) {
      return new CriterionResult(
          NAME,
          false,
          String.join("; ", problems)
              + ". Without a working lock two brokers cannot agree which one is primary: hot-warm"
              + " FT on a file lock is unsafe here (use a ZooKeeper lock, or hot-cold HA whose"
              + " cluster manager fences).",
          details);
    }
    List<Long> releases = releaseOnDeath(s, dir, problems);
    details.put("release_on_death_ms", releases);
    if (!problems.isEmpty()) {
      return new CriterionResult(
          NAME,
          false,
          String.join("; ", problems)
              + ". Both processes held the lock at once: on this storage two brokers of an FT pair"
              + " could both become primary. Hot-warm FT on a file lock is unsafe here (the locks"
              + " are probably host-local, e.g. NFS nolock or local_lock); use a ZooKeeper lock"
              + " or hot-cold HA.",
          details);
    }
    return new CriterionResult(
        NAME,
        true,
        "2 processes contended "
            + (mine.grants() + theirs.grants())
            + " times ("
            + (mine.contended() + theirs.contended())
            + " grants had to wait for the other, the lock passed between them "
            + details.get("holder_changes")
            + " times); never both granted (shared counter "
            + details.get("counter")
            + " = grants, every epoch unique, no holder saw the other's mark); lock released on"
            + " holder death (SIGKILL) after "
            + releases
            + " ms",
        details);
  }

  private static List<String> contentionProblems(
      Path dir,
      LockContention.Outcome mine,
      LockContention.Outcome theirs,
      Map<String, Object> details) {
    List<String> problems = new ArrayList<>();
    if (mine.error() != null) {
      problems.add("this host could not lock: " + mine.error());
    }
    if (theirs.error() != null) {
      problems.add("the peer could not lock: " + theirs.error());
    }
    String text = LockContention.read(dir.resolve("counter"));
    long counter = text.isEmpty() ? 0 : Long.parseLong(text);
    int grants = mine.grants() + theirs.grants();
    details.put("grants", grants);
    details.put("counter", counter);
    details.put("contended", mine.contended() + theirs.contended());
    if (counter != grants) {
      problems.add(
          "the shared counter says "
              + counter
              + " after "
              + grants
              + " grants: increments were lost, so both held the lock at the same time");
    }
    details.put("holder_changes", holderChanges(mine.epochs(), theirs.epochs()));
    Set<Long> epochs = new HashSet<>();
    int duplicates = 0;
    for (Long e : concat(mine.epochs(), theirs.epochs())) {
      duplicates += epochs.add(e) ? 0 : 1;
    }
    details.put("duplicate_epochs", duplicates);
    if (duplicates > 0) {
      problems.add(duplicates + " epochs were granted twice: each side had a lock of its own");
    }
    int clobbered = mine.clobbered() + theirs.clobbered();
    details.put("clobbered", clobbered);
    if (clobbered > 0) {
      problems.add(clobbered + " times a holder found the other's mark while holding the lock");
    }
    return problems;
  }

  /** How often the lock passed from one participant to the other, in epoch order. */
  private static int holderChanges(List<Long> mine, List<Long> theirs) {
    java.util.TreeMap<Long, Boolean> byEpoch = new java.util.TreeMap<>();
    mine.forEach(e -> byEpoch.put(e, true));
    theirs.forEach(e -> byEpoch.put(e, false));
    int changes = 0;
    Boolean last = null;
    for (Boolean side : byEpoch.values()) {
      changes += last != null && !last.equals(side) ? 1 : 0;
      last = side;
    }
    return changes;
  }

  private static List<Long> concat(List<Long> a, List<Long> b) {
    List<Long> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** Kills a holder with SIGKILL and times how long until this process is granted the lock. */
  private static List<Long> releaseOnDeath(Session s, Path dir, List<String> problems) {
    List<Long> ms = new ArrayList<>();
    try (FencedLock lock = s.options().locks().open(dir, "checker")) {
      for (int i = 0; i < s.options().deaths(); i++) {
        ChildProcess holder =
            s.child("lock-holder-" + i, "hold-lock", dir.toString(), s.options().locks().label());
        holder.awaitLine("held", Duration.ofSeconds(30));
        long t0 = System.nanoTime();
        holder.kill();
        try {
          Lease lease = lock.acquire(RELEASE_LIMIT);
          ms.add((System.nanoTime() - t0) / 1_000_000);
          lease.close();
        } catch (LockException e) {
          problems.add(
              "the lock of a SIGKILLed holder was not released within "
                  + RELEASE_LIMIT.toSeconds()
                  + " s ("
                  + e.getMessage()
                  + ")");
          break;
        }
      }
    }
    return ms;
  }
}
