package io.tandem.process.time;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SystemClockTest {

  private final Clock clock = Clock.system();

  @Test
  void shouldSleepAtLeastTheGivenDuration() throws InterruptedException {
    long start = clock.nanos();
    clock.sleep(Duration.ofMillis(20));
    assertTrue(clock.nanos() - start >= Duration.ofMillis(20).toNanos());
  }

  @Test
  void shouldEndAnAwaitAtItsDeadline() throws InterruptedException {
    Object monitor = new Object();
    long deadline = clock.nanos() + Duration.ofMillis(20).toNanos();
    synchronized (monitor) {
      assertFalse(clock.await(monitor, () -> false, deadline));
    }
    assertTrue(clock.nanos() >= deadline);
  }

  @Test
  void shouldReturnAtOnceWhenTheConditionHolds() throws InterruptedException {
    Object monitor = new Object();
    synchronized (monitor) {
      assertTrue(clock.await(monitor, () -> true, clock.nanos()));
    }
  }
}
