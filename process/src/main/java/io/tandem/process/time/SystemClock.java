package io.tandem.process.time;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** {@link Clock} of the running system: {@link System#nanoTime()} and the wall clock. */
final class SystemClock implements Clock {

  static final SystemClock INSTANCE = new SystemClock();

  private SystemClock() {}

  @Override
  public long nanos() {
    return System.nanoTime();
  }

  @Override
  public Instant wallTime() {
    return Instant.now();
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    long nanos = duration.toNanos();
    if (nanos > 0) {
      Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
    }
  }

  @Override
  public boolean await(Object monitor, BooleanSupplier condition, long deadlineNanos)
      throws InterruptedException {
    while (!condition.getAsBoolean()) {
      long remaining = deadlineNanos - System.nanoTime();
      if (remaining <= 0) {
        return false;
      }
      long millis = Math.max(1, remaining / 1_000_000L);
      monitor.wait(millis);
    }
    return true;
  }
}
