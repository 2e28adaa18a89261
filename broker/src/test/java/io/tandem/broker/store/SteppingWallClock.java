package io.tandem.broker.store;

import io.tandem.process.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The system's monotonic clock with a wall clock that jumps at every reading (NTP, an operator's
 * {@code date}): what the store's deadlines must not notice.
 */
final class SteppingWallClock implements Clock {
  private final Supplier<Instant> wall;

  SteppingWallClock(Supplier<Instant> wall) {
    this.wall = wall;
  }

  @Override
  public long nanos() {
    return Clock.system().nanos();
  }

  @Override
  public Instant wallTime() {
    return wall.get();
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    Clock.system().sleep(duration);
  }

  @Override
  public boolean await(Object monitor, BooleanSupplier condition, long deadlineNanos)
      throws InterruptedException {
    return Clock.system().await(monitor, condition, deadlineNanos);
  }
}
