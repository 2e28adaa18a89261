package io.tandem.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/*
 * What every FencedLock promises, run against each implementation. newContender
 * returns a new, independent lock instance on the same lock for the current test.
 */
abstract class FencedLockContract {

  static final Duration WAIT = Duration.ofSeconds(20);

  private final List<FencedLock> locks = new ArrayList<>();
  private final ExecutorService background = Executors.newCachedThreadPool();

  abstract FencedLock newContender();

  final FencedLock contender() {
    FencedLock lock = newContender();
    locks.add(lock);
    return lock;
  }

  @AfterEach
  final void closeEverything() throws InterruptedException {
    background.shutdownNow();
    locks.forEach(FencedLock::close);
    assertTrue(background.awaitTermination(30, TimeUnit.SECONDS), "background acquires ended");
  }

  @Test
  void shouldGrantLockToOneHolderAtATime() {
    FencedLock first = contender();
    FencedLock second = contender();

    Lease lease = first.acquire(WAIT);

    assertTrue(lease.isValid());
    assertTrue(second.tryAcquire().isEmpty(), "try-once must fail while the lock is held");
    assertTrue(lease.isValid());
  }

  @Test
  void shouldIssueStrictlyIncreasingEpochsAcrossHoldersAndInstances() {
    FencedLock first = contender();
    FencedLock second = contender();
    long previous = 0;
    for (FencedLock lock : List.of(first, second, first, second)) {
      try (Lease lease = lock.acquire(WAIT)) {
        assertTrue(lease.epoch() > previous, lease.epoch() + " after " + previous);
        previous = lease.epoch();
      }
    }
    first.close();
    try (Lease afterRestart = contender().acquire(WAIT)) {
      assertTrue(afterRestart.epoch() > previous, "a new instance continues the sequence");
    }
  }

  @Test
  void shouldHandLockToWaiterWhenHolderReleases() throws Exception {
    FencedLock holder = contender();
    FencedLock waiter = contender();
    Lease held = holder.acquire(WAIT);
    Future<Lease> waiting = background.submit(() -> waiter.acquire(WAIT));

    held.close();
    Lease next = waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertTrue(next.isValid());
    assertTrue(next.epoch() > held.epoch());
    assertFalse(held.isValid());
  }

  @Test
  void shouldReacquireWithGreaterEpochAfterReleasing() {
    FencedLock lock = contender();
    Lease first = lock.acquire(WAIT);
    first.close();

    Lease second = lock.tryAcquire().orElseThrow();

    assertTrue(second.epoch() > first.epoch());
    assertTrue(second.isValid());
    assertFalse(first.isValid());
  }

  @Test
  void shouldTimeOutWhileHeldElsewhere() {
    contender().acquire(WAIT);
    FencedLock waiter = contender();
    Duration timeout = Duration.ofMillis(400);

    long start = System.nanoTime();
    LockException e = assertThrows(LockException.class, () -> waiter.acquire(timeout));
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertEquals(LockException.Category.TIMEOUT, e.category());
    assertTrue(elapsedMs >= timeout.toMillis(), "waited " + elapsedMs + " ms");
    assertTrue(elapsedMs < WAIT.toMillis(), "waited " + elapsedMs + " ms");
    assertTrue(waiter.tryAcquire().isEmpty(), "a timed-out waiter holds nothing");
  }

  @Test
  void shouldTellListenersSuspectThenLostWhenLeaseIsClosed() {
    Lease lease = contender().acquire(WAIT);
    RecordingListener listener = new RecordingListener();
    lease.addListener(listener);

    lease.close();

    listener.assertHeardExactly(LeaseEvent.SUSPECT, LeaseEvent.LOST);
    assertFalse(lease.isValid());
  }

  @Test
  void shouldReplayMissedEventsToListenerAddedAfterEnd() {
    Lease lease = contender().acquire(WAIT);
    lease.close();
    RecordingListener late = new RecordingListener();

    lease.addListener(late);

    late.assertHeardExactly(LeaseEvent.SUSPECT, LeaseEvent.LOST);
  }

  @Test
  void shouldStopTellingRemovedListener() {
    Lease lease = contender().acquire(WAIT);
    RecordingListener removed = new RecordingListener();
    lease.addListener(removed);
    lease.removeListener(removed);

    lease.close();

    removed.assertHeardExactly();
  }

  @Test
  void shouldTreatRepeatedCloseAsNoOp() {
    FencedLock lock = contender();
    Lease lease = lock.acquire(WAIT);
    RecordingListener listener = new RecordingListener();
    lease.addListener(listener);

    lease.close();
    lease.close();
    lock.close();
    lock.close();

    listener.assertHeardExactly(LeaseEvent.SUSPECT, LeaseEvent.LOST);
  }

  @Test
  void shouldEndLeaseAndFreeLockWhenLockIsClosed() {
    FencedLock lock = contender();
    Lease lease = lock.acquire(WAIT);
    RecordingListener listener = new RecordingListener();
    lease.addListener(listener);

    lock.close();

    listener.assertHeardExactly(LeaseEvent.SUSPECT, LeaseEvent.LOST);
    assertTrue(contender().tryAcquire().isPresent(), "the lock is free again");
  }

  @Test
  void shouldRefuseSecondAcquireWhileInstanceHoldsLease() {
    FencedLock lock = contender();
    lock.acquire(WAIT);

    LockException e = assertThrows(LockException.class, lock::tryAcquire);

    assertEquals(LockException.Category.ILLEGAL_STATE, e.category());
  }

  @Test
  void shouldRefuseAcquireAfterClose() {
    FencedLock lock = contender();
    lock.close();

    LockException e = assertThrows(LockException.class, () -> lock.acquire(WAIT));

    assertEquals(LockException.Category.CLOSED, e.category());
  }

  @Test
  void shouldAbortPendingAcquireWhenLockIsClosed() throws Exception {
    contender().acquire(WAIT);
    FencedLock waiter = contender();
    AtomicReference<Thread> acquiring = new AtomicReference<>();
    Future<Lease> waiting =
        background.submit(
            () -> {
              acquiring.set(Thread.currentThread());
              return waiter.acquire(Duration.ofMinutes(5));
            });
    Await.until("the waiter to be waiting", WAIT, () -> isWaiting(acquiring.get()));

    waiter.close();

    assertEquals(LockException.Category.CLOSED, failureOf(waiting).category());
  }

  @Test
  void shouldKeepInterruptFlagWhenInterruptedWhileWaiting() throws Exception {
    contender().acquire(WAIT);
    FencedLock waiter = contender();
    Future<Boolean> flagKept =
        background.submit(
            () -> {
              Thread.currentThread().interrupt();
              LockException e = assertThrows(LockException.class, () -> waiter.acquire(WAIT));
              assertEquals(LockException.Category.INTERRUPTED, e.category());
              return Thread.currentThread().isInterrupted();
            });

    assertTrue(flagKept.get(WAIT.toSeconds(), TimeUnit.SECONDS));
  }

  @Test
  void shouldReportHolderWhileHeldAndLastHolderAfterRelease() {
    FencedLock lock = contender();
    Lease lease = lock.acquire(WAIT);

    LockStatus held = contender().status();
    assertTrue(held.held());
    assertTrue(held.holderIsCurrent(), held.describe());
    LockHolder holder = held.lastHolder().orElseThrow();
    assertEquals(ProcessHandle.current().pid(), holder.pid());
    assertEquals(lease.epoch(), holder.epoch());

    lease.close();
    LockStatus released = lock.status();
    assertFalse(released.held());
    assertEquals(Optional.of(holder), released.lastHolder());
    assertEquals(lease.epoch(), released.latestEpoch());
    assertTrue(released.describe().startsWith("not held"), released.describe());
  }

  private static boolean isWaiting(Thread thread) {
    return thread != null && thread.getState() == Thread.State.TIMED_WAITING;
  }

  private static LockException failureOf(Future<?> future) {
    ExecutionException e =
        assertThrows(
            ExecutionException.class, () -> future.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof LockException, () -> "failed with " + e.getCause());
    return (LockException) e.getCause();
  }
}
