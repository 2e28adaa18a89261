package io.tandem.broker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.Await;
import io.tandem.testing.FakeClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real journal store whose fence read really blocks in the kernel ({@link HungFence}), watched by
 * a real watchdog: the stall is declared, nothing waiting on the hung operation is acknowledged
 * while it hangs, and the late return ends in an exit, not in serving. Store and watchdog share a
 * fake clock, so the test decides when the fence check is due and when the timeout has passed.
 */
class StoreStallTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  @TempDir Path dir;

  @Test
  void shouldStallOnAHungFenceReadAcknowledgeNothingAndExitWhenItReturnsLate() throws Exception {
    Path store = dir.resolve("store");
    FakeClock clock = new FakeClock();
    StoreIo io = new StoreIo(clock);
    HeardStalls heard = new HeardStalls();
    try (StoreWatchdog watchdog =
            new StoreWatchdog(io, TIMEOUT, Duration.ofHours(1), heard).start();
        JournalStore s = JournalStore.open(StoreFixture.options(store, 1).withClock(clock), io)) {
      s.recover();
      StoreFixture.await(s.write(StoreFixture.adds(StoreFixture.add(1, true, "q"))));
      assertTrue(watchdog.live());
      try (HungFence hung = HungFence.install(store)) {
        clock.advance(Duration.ofMillis(Committer.FENCE_CHECK_INTERVAL_MS));
        awaitOldest(io, "fence check", "");
        assertTrue(watchdog.live(), "hung, but not for store_io_timeout yet");
        clock.advance(TIMEOUT);
        Await.until(
            "the watchdog declares the stall", StoreFixture.WAIT, () -> !heard.stalled.isEmpty());
        assertEquals(StoreWatchdog.State.STALLED, watchdog.state());
        String reason = heard.stalled.get(0);
        assertTrue(reason.startsWith("store stalled: fence check has not returned for"), reason);
        assertFalse(watchdog.live());
        CompletableFuture<Void> late = s.write(StoreFixture.adds(StoreFixture.add(2, true, "q")));
        assertFalse(late.isDone(), "a write queued behind the hung read must not complete");
        assertEquals(List.of(), heard.exits, "the grace has not passed and nothing returned");

        hung.release();
        StoreFixture.await(late);
        clock.advance(TIMEOUT.dividedBy(10)); // the watchdog's next check
        Await.until(
            "the late return ends in an exit", StoreFixture.WAIT, () -> !heard.exits.isEmpty());
        assertTrue(
            heard.exits.get(0).startsWith("fence check returned after more than"),
            heard.exits.get(0));
        assertEquals(StoreWatchdog.State.EXITING, watchdog.state());
        assertFalse(watchdog.live(), "a store that stalled is not live again");
      }
    }
    Recovered[] r = new Recovered[1];
    try (JournalStore again = StoreFixture.reopen(store, r)) {
      assertEquals(List.of(1L, 2L), StoreFixture.ids(r[0]));
      assertEquals(JournalStore.State.SERVING, again.state());
    }
  }

  @Test
  void shouldSeeARecoveryReadThatHangs() throws Exception {
    Path store = dir.resolve("store");
    try (JournalStore first = StoreFixture.open(StoreFixture.options(store, 1), null)) {
      StoreFixture.await(first.write(StoreFixture.adds(StoreFixture.add(1, true, "q"))));
    }
    // a segment file that is a pipe: recovery's open(2) of it blocks like a read of a dead disk
    Path pipe = store.resolve(Journal.SYNC).resolve(Segment.name(1, 99));
    Process p = new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start();
    assertEquals(0, p.waitFor(), "mkfifo");
    FakeClock clock = new FakeClock();
    StoreIo io = new StoreIo(clock);
    HeardStalls heard = new HeardStalls();
    CompletableFuture<Void> recovered = new CompletableFuture<>();
    try (StoreWatchdog watchdog =
            new StoreWatchdog(io, TIMEOUT, Duration.ofHours(1), heard).start();
        JournalStore s = JournalStore.open(StoreFixture.options(store, 2).withClock(clock), io)) {
      Thread recovery =
          new Thread(
              () -> {
                try {
                  s.recover();
                  recovered.complete(null);
                } catch (RuntimeException e) {
                  recovered.completeExceptionally(e);
                }
              },
              "test-recovery");
      recovery.setDaemon(true);
      recovery.start();
      try {
        awaitOldest(io, "recovery: reading ", pipe.getFileName().toString());
        clock.advance(TIMEOUT);
        Await.until(
            "the watchdog sees the hung recovery read",
            StoreFixture.WAIT,
            () -> !heard.stalled.isEmpty());
        String reason = heard.stalled.get(0);
        assertTrue(reason.startsWith("store stalled: recovery: reading "), reason);
        assertTrue(reason.contains(pipe.getFileName().toString()), reason);
        assertEquals(StoreWatchdog.State.STALLED, watchdog.state());
        assertFalse(recovered.isDone());
      } finally {
        // opening the pipe read-write never blocks, and closing it gives the reader end of file
        new java.io.RandomAccessFile(pipe.toFile(), "rw").close();
        recovery.join(StoreFixture.WAIT.toMillis());
      }
      assertTrue(recovered.isDone(), "recovery went on once the read returned");
    }
  }

  /**
   * Waits, in real time, until the oldest operation in progress starts with {@code what} and ends
   * with {@code end}: the one that hangs.
   */
  private static void awaitOldest(StoreIo io, String what, String end) {
    Await.until(
        "store operation in progress: " + what + "..." + end,
        StoreFixture.WAIT,
        () ->
            io.oldest()
                .map(StoreIo.Operation::what)
                .filter(w -> w.startsWith(what) && w.endsWith(end))
                .isPresent());
  }

  @Test
  void shouldNotStallWhileTheWallClockStepsBackAndForth() throws Exception {
    AtomicLong steps = new AtomicLong();
    // every read of the wall clock jumps an hour forward or back; the store's deadlines and the
    // watchdog run on the monotonic clock, so no step makes an operation look old
    SteppingWallClock stepping =
        new SteppingWallClock(
            () -> Instant.now().plus(Duration.ofHours(steps.incrementAndGet() % 2 == 0 ? 1 : -1)));
    StoreIo io = StoreIo.system();
    HeardStalls heard = new HeardStalls();
    try (StoreWatchdog watchdog = new StoreWatchdog(io, TIMEOUT, Duration.ZERO, heard).start();
        JournalStore s =
            JournalStore.open(
                new StoreOptions(
                    dir.resolve("store"),
                    1,
                    StoreOptions.DEFAULT_ASYNC_FLUSH,
                    StoreOptions.MIN_SEGMENT,
                    StoreOptions.DEFAULT_DUP_WINDOW,
                    false,
                    (own, fence) -> {},
                    stepping),
                io)) {
      s.recover();
      long deadline = System.nanoTime() + TIMEOUT.multipliedBy(3).toNanos();
      long id = 0;
      while (System.nanoTime() < deadline && id < 10_000) {
        id++;
        StoreFixture.await(s.write(StoreFixture.adds(StoreFixture.add(id, id % 2 == 0, "q"))));
      }
      assertEquals(StoreWatchdog.State.WATCHING, watchdog.state(), String.valueOf(heard.stalled));
    }
  }
}
