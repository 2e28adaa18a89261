package io.tandem.broker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.Await;
import io.tandem.testing.FakeClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The watchdog's decisions on a fake monotonic clock: no thread, no sleeping. */
class StoreWatchdogTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Duration GRACE = Duration.ofSeconds(5);

  private final FakeClock clock = new FakeClock();
  private final StoreIo io = new StoreIo(clock);
  private final HeardStalls listener = new HeardStalls();
  private final StoreWatchdog watchdog = new StoreWatchdog(io, TIMEOUT, GRACE, listener);

  private void advance(Duration d) {
    clock.advance(d);
  }

  @Test
  void shouldDeclareAStallAtTheTimeoutAndNotBefore() {
    StoreIo.Operation flush = io.begin("group commit of 1 batches");
    advance(TIMEOUT.minusMillis(1));
    watchdog.check();
    assertEquals(StoreWatchdog.State.WATCHING, watchdog.state());
    assertTrue(watchdog.live());
    assertEquals(List.of(), listener.stalled);

    advance(Duration.ofMillis(1));
    watchdog.check();
    assertEquals(StoreWatchdog.State.STALLED, watchdog.state());
    assertFalse(watchdog.live());
    assertEquals(
        List.of(
            "store stalled: group commit of 1 batches has not returned for 10.0 s"
                + " (store_io_timeout 10000 ms)"),
        listener.stalled);
    assertEquals(List.of(), listener.exits, "no exit before the grace");
    flush.close();
  }

  @Test
  void shouldReportTheStoreNotLiveTheMomentTheTimeoutPassesEvenBeforeACheck() {
    io.begin("fence check");
    advance(TIMEOUT);
    assertFalse(watchdog.live(), "/health must not wait for the next check");
    assertTrue(watchdog.reason().startsWith("store stalled: fence check"), watchdog.reason());
    assertEquals(10.0, watchdog.oldestAgeSeconds(), 1e-9);
    assertEquals("stalled", watchdog.describe().get("state"));
  }

  @Test
  void shouldNeverStallWhileTheWriterOnlyWaitsForWork() {
    for (int i = 0; i < 100; i++) {
      io.run("periodic flush", () -> advance(Duration.ofMillis(5)));
      advance(Duration.ofMinutes(1)); // waiting for a batch is not an operation
      watchdog.check();
    }
    assertEquals(StoreWatchdog.State.WATCHING, watchdog.state());
    assertEquals(0.0, watchdog.oldestAgeSeconds());
    assertEquals(List.of(), listener.stalled);
  }

  @Test
  void shouldJudgeTheOldestOfSeveralOperations() {
    StoreIo.Operation preallocation = io.begin("segment preallocation");
    advance(Duration.ofSeconds(6));
    StoreIo.Operation commit = io.begin("group commit of 2 batches");
    advance(Duration.ofSeconds(4));
    watchdog.check();
    assertTrue(listener.stalled.get(0).contains("segment preallocation"), listener.stalled.get(0));
    assertEquals("segment preallocation", watchdog.describe().get("oldest_operation"));
    preallocation.close();
    commit.close();
  }

  @Test
  void shouldExitAfterTheGraceWhenTheOperationStillHangs() {
    io.begin("fence check");
    advance(TIMEOUT);
    watchdog.check();
    advance(GRACE.minusMillis(1));
    watchdog.check();
    assertEquals(List.of(), listener.exits);

    advance(Duration.ofMillis(1));
    watchdog.check();
    assertEquals(StoreWatchdog.State.EXITING, watchdog.state());
    assertEquals(
        List.of(
            "fence check has not returned for 15.0 s (store_io_timeout 10000 ms,"
                + " store_io_exit_grace 5000 ms)"),
        listener.exits);
    watchdog.check();
    assertEquals(1, listener.exits.size(), "told once");
  }

  @Test
  void shouldExitWithoutServingAgainWhenTheStalledOperationReturnsWithinTheGrace() {
    StoreIo.Operation flush = io.begin("group commit of 4 batches");
    advance(TIMEOUT.plusSeconds(1));
    watchdog.check();
    advance(Duration.ofSeconds(1));
    flush.close();
    watchdog.check();
    assertEquals(StoreWatchdog.State.EXITING, watchdog.state());
    assertFalse(watchdog.live(), "a store that stalled never reports live again");
    assertEquals(1, listener.exits.size());
    assertTrue(
        listener.exits.get(0).startsWith("group commit of 4 batches returned after more than"),
        listener.exits.get(0));
  }

  @Test
  void shouldNotMissAnOperationThatTookLongerThanTheTimeoutBetweenTwoChecks() {
    watchdog.check();
    io.run("group commit of 1 batches", () -> advance(TIMEOUT.plusMillis(300)));
    assertFalse(watchdog.live(), "/health must not flap back to 200 before the next check");
    watchdog.check();
    assertEquals(
        List.of("store stalled: group commit of 1 batches took 10.3 s (store_io_timeout 10000 ms)"),
        listener.stalled);
    watchdog.check();
    assertEquals(StoreWatchdog.State.EXITING, watchdog.state());
    assertEquals(1, listener.exits.size());
  }

  @Test
  void shouldForgetFastOperationsAtEachCheck() {
    io.run("fence check", () -> advance(TIMEOUT.minusMillis(1)));
    watchdog.check();
    io.run("fence check", () -> advance(Duration.ofMillis(1)));
    watchdog.check();
    assertEquals(StoreWatchdog.State.WATCHING, watchdog.state());
    assertTrue(watchdog.live());
  }

  @Test
  void shouldExitAtOnceOnAStallWhenTheGraceIsZero() {
    StoreWatchdog noGrace = new StoreWatchdog(io, TIMEOUT, Duration.ZERO, listener);
    io.begin("compaction round");
    advance(TIMEOUT);
    noGrace.check();
    noGrace.check();
    assertEquals(1, listener.stalled.size());
    assertEquals(1, listener.exits.size());
  }

  @Test
  void shouldRefuseATimeoutBelowTheMinimumAndANegativeGrace() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new StoreWatchdog(io, Duration.ofMillis(999), GRACE, listener));
    assertThrows(
        IllegalArgumentException.class,
        () -> new StoreWatchdog(io, TIMEOUT, Duration.ofSeconds(-1), listener));
  }

  @Test
  void shouldCheckOnItsOwnThreadOnceStarted() throws InterruptedException {
    HeardStalls heard = new HeardStalls();
    try (StoreWatchdog started =
        new StoreWatchdog(io, Duration.ofSeconds(1), Duration.ofHours(1), heard).start()) {
      io.begin("fence check");
      clock.awaitWaiting(1, StoreFixture.WAIT);
      advance(Duration.ofMillis(999));
      clock.awaitWaiting(1, StoreFixture.WAIT);
      assertEquals(List.of(), heard.stalled, "not before the timeout");
      advance(Duration.ofSeconds(1));
      Await.until(
          "the ticking watchdog declares the stall",
          StoreFixture.WAIT,
          () -> !heard.stalled.isEmpty());
      assertEquals(StoreWatchdog.State.STALLED, started.state());
    }
  }

  @Test
  void shouldStopTickingOnCloseAndRefuseASecondStart() throws InterruptedException {
    HeardStalls heard = new HeardStalls();
    StoreWatchdog started =
        new StoreWatchdog(io, Duration.ofSeconds(1), Duration.ofHours(1), heard).start();
    assertThrows(IllegalStateException.class, started::start);
    clock.awaitWaiting(1, StoreFixture.WAIT);
    started.close();
    started.close();
    Await.until(
        "the ticking thread has stopped waiting", StoreFixture.WAIT, () -> !waitingOn(clock));
    io.begin("fence check");
    advance(Duration.ofSeconds(5));
    assertEquals(List.of(), heard.stalled, "a closed watchdog checks no more");
    assertThrows(IllegalStateException.class, started::start);
  }

  /** Whether any thread waits through {@code c}, without blocking. */
  private static boolean waitingOn(FakeClock c) {
    try {
      c.awaitWaiting(1, Duration.ZERO);
      return true;
    } catch (AssertionError | InterruptedException e) {
      return false;
    }
  }
}
