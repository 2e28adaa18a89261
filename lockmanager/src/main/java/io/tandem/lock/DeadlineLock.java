package io.tandem.lock;

import java.time.Duration;
import java.util.Optional;

/*
 * What both lock kinds share: blocking and try-once acquisition are one attempt with a deadline
 * (now, for try-once), and a timeout names the lock and whoever holds it.
 */
abstract class DeadlineLock implements FencedLock {
  /** The lock as logs and errors name it. */
  final String name;

  DeadlineLock(String name) {
    this.name = name;
  }

  /** Tries to acquire until {@code deadlineNanos} (a {@link System#nanoTime} value). */
  abstract Optional<Lease> attempt(long deadlineNanos);

  @Override
  public final Lease acquire(Duration timeout) {
    return attempt(Deadlines.after(timeout))
        .orElseThrow(
            () ->
                new LockException(
                    LockException.Category.TIMEOUT,
                    name + " is still held elsewhere after " + timeout + "; " + describeHolder()));
  }

  @Override
  public final Optional<Lease> tryAcquire() {
    return attempt(System.nanoTime());
  }

  @Override
  public final String describe() {
    return name;
  }

  private String describeHolder() {
    try {
      return status().describe().replace('\n', ';');
    } catch (LockException e) {
      return "holder unknown: " + e.getMessage();
    }
  }
}
