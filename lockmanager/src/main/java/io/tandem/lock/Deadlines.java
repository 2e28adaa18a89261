package io.tandem.lock;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

// Deadlines on System.nanoTime, safe against overflow for huge timeouts.
final class Deadlines {

  private static final long MAX_NANOS = TimeUnit.DAYS.toNanos(365L * 100);

  private Deadlines() {}

  static long after(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative: " + timeout);
    }
    long nanos = timeout.compareTo(Duration.ofNanos(MAX_NANOS)) > 0 ? MAX_NANOS : timeout.toNanos();
    return System.nanoTime() + nanos;
  }

  static long remainingNanos(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  // Sleeps; an interrupt becomes LockException.Category.INTERRUPTED, flag kept.
  static void sleep(long nanos, String lockName) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted(lockName, e);
    }
  }

  static LockException interrupted(String lockName, InterruptedException cause) {
    return new LockException(
        LockException.Category.INTERRUPTED, "interrupted while acquiring " + lockName, cause);
  }
}
