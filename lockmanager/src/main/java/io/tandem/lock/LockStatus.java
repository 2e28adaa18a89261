package io.tandem.lock;

import java.util.Objects;
import java.util.Optional;

/**
 * What anyone can read about a lock without acquiring it.
 *
 * @param held whether some process holds the lock right now, as the kernel or ZooKeeper reports it
 * @param lastHolder the holder recorded last: the current holder while {@code held}, unless it has
 *     only just acquired and not yet recorded itself (then {@code lastHolder.epoch() <
 *     latestEpoch}); after release or death, the process that held it last
 * @param latestEpoch the greatest epoch ever issued, or 0 if none was
 */
public record LockStatus(boolean held, Optional<LockHolder> lastHolder, long latestEpoch) {

  /** Validates the fields. */
  public LockStatus {
    Objects.requireNonNull(lastHolder, "lastHolder");
    if (latestEpoch < 0) {
      throw new IllegalArgumentException("latestEpoch must not be negative: " + latestEpoch);
    }
  }

  /** Whether {@link #lastHolder} is the process that holds the lock right now. */
  public boolean holderIsCurrent() {
    return held && lastHolder.map(h -> h.epoch() == latestEpoch).orElse(false);
  }

  /** A few lines for an operator, as a status command prints them. */
  public String describe() {
    String epochLine = "latest epoch: " + latestEpoch;
    if (holderIsCurrent()) {
      return "held by " + lastHolder.get().describe() + "\n" + epochLine;
    }
    String last =
        lastHolder.map(h -> "last recorded holder: " + h.describe()).orElse("no holder recorded");
    if (held) {
      return "held by a process that has not recorded itself yet\n" + last + "\n" + epochLine;
    }
    return "not held\n" + last + "\n" + epochLine;
  }
}
