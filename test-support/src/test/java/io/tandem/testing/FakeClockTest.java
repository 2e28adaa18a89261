package io.tandem.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class FakeClockTest {

  private final FakeClock clock = new FakeClock();

  @Test
  void shouldMoveMonotonicAndWallTimeTogetherOnlyWhenAdvanced() {
    long before = clock.nanos();
    Instant wall = clock.wallTime();
    assertEquals(before, clock.nanos());
    clock.advance(Duration.ofMillis(1500));
    assertEquals(before + 1_500_000_000L, clock.nanos());
    assertEquals(wall.plusMillis(1500), clock.wallTime());
  }

  @Test
  void shouldStepWallTimeWithoutMovingMonotonicTime() {
    long before = clock.nanos();
    clock.setWallTime(Instant.parse("2020-01-01T00:00:00Z"));
    assertEquals(before, clock.nanos());
    assertEquals(Instant.parse("2020-01-01T00:00:00Z"), clock.wallTime());
  }

  @Test
  void shouldRefuseToGoBack() {
    assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofNanos(-1)));
  }

  @Test
  void shouldWakeASleeperOnlyOnceItsTimeHasPassed() throws Exception {
    CompletableFuture<Void> slept =
        CompletableFuture.runAsync(
            () -> {
              try {
                clock.sleep(Duration.ofSeconds(10));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    clock.awaitWaiting(1, Duration.ofSeconds(30));
    clock.advance(Duration.ofSeconds(9));
    assertFalse(slept.isDone());
    clock.advance(Duration.ofSeconds(1));
    slept.get(30, TimeUnit.SECONDS);
  }

  @Test
  void shouldEndAnAwaitAtItsDeadlineWhenTheConditionNeverHolds() throws Exception {
    Object monitor = new Object();
    long deadline = clock.nanos() + Duration.ofSeconds(5).toNanos();
    CompletableFuture<Boolean> result = awaitAsync(monitor, () -> false, deadline);
    clock.awaitWaiting(1, Duration.ofSeconds(30));
    clock.advance(Duration.ofSeconds(4));
    assertFalse(result.isDone());
    clock.advance(Duration.ofSeconds(1));
    assertFalse(result.get(30, TimeUnit.SECONDS));
  }

  @Test
  void shouldEndAnAwaitWhenTheConditionHoldsAndTheMonitorIsNotified() throws Exception {
    Object monitor = new Object();
    AtomicBoolean ready = new AtomicBoolean();
    long deadline = clock.nanos() + Duration.ofSeconds(5).toNanos();
    CompletableFuture<Boolean> result = awaitAsync(monitor, ready::get, deadline);
    synchronized (monitor) {
      ready.set(true);
      monitor.notifyAll();
    }
    assertTrue(result.get(30, TimeUnit.SECONDS));
  }

  private CompletableFuture<Boolean> awaitAsync(
      Object monitor, java.util.function.BooleanSupplier condition, long deadline) {
    return CompletableFuture.supplyAsync(
        () -> {
          synchronized (monitor) {
            try {
              return clock.await(monitor, condition, deadline);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return false;
            }
          }
        });
  }
}
