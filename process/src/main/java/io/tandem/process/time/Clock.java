package io.tandem.process.time;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Monotonic and wall time, kept apart, and the waits that depend on them.
 *
 * <p>Monotonic time measures intervals and never jumps; wall time is for people. A fake clock
 * advanced by a test wakes every {@link #sleep sleeper} and every {@link #await waiter} whose
 * deadline it passes, so code that waits through its clock is driven by the test, not by the
 * machine's speed.
 */
public interface Clock {

  /** The clock of the running system. */
  static Clock system() {
    return SystemClock.INSTANCE;
  }

  /** Monotonic nanoseconds, comparable only with other readings of this clock. */
  long nanos();

  /** Wall time, for timestamps an operator reads. */
  Instant wallTime();

  /** Wall time in milliseconds since the epoch. */
  default long wallMillis() {
    return wallTime().toEpochMilli();
  }

  /** Monotonic milliseconds, comparable only with other readings of this clock. */
  default long millis() {
    return nanos() / 1_000_000L;
  }

  /** Blocks until this clock's monotonic time has advanced by {@code duration}. */
  void sleep(Duration duration) throws InterruptedException;

  /**
   * Waits on {@code monitor}, which the caller holds, until {@code condition} is true or the
   * monotonic time reaches {@code deadlineNanos}. Whoever makes the condition true must notify the
   * monitor; the clock itself wakes the waiter when its time passes the deadline.
   *
   * @return whether the condition held (false: the deadline passed first)
   */
  boolean await(Object monitor, BooleanSupplier condition, long deadlineNanos)
      throws InterruptedException;
}
