package io.tandem.testing;

import io.tandem.process.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A {@link Clock} that moves only when a test {@link #advance advances} it. Advancing wakes every
 * thread sleeping or waiting through this clock, so each re-checks its deadline against the new
 * time; nothing in the code under test depends on how fast the machine is.
 */
public final class FakeClock implements Clock {

  private final Object lock = new Object();
  private final Map<Object, Integer> monitors = new IdentityHashMap<>();
  private long nanos;
  private Instant wall;
  private int waiting;

  /** A fake clock at monotonic time 1 s and wall time 2026-01-01T00:00:00Z. */
  public FakeClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** A fake clock at monotonic time 1 s and the given wall time. */
  public FakeClock(Instant wall) {
    this.nanos = 1_000_000_000L;
    this.wall = wall;
  }

  /** Moves monotonic and wall time forward together and wakes every sleeper and waiter. */
  public void advance(Duration step) {
    if (step.isNegative()) {
      throw new IllegalArgumentException("a clock does not go back: " + step);
    }
    Object[] waiting;
    synchronized (lock) {
      nanos += step.toNanos();
      wall = wall.plus(step);
      lock.notifyAll();
      waiting = monitors.keySet().toArray();
    }
    for (Object monitor : waiting) {
      synchronized (monitor) {
        monitor.notifyAll();
      }
    }
  }

  /** Sets the wall time alone (a step of the system clock); monotonic time does not move. */
  public void setWallTime(Instant newWall) {
    synchronized (lock) {
      wall = newWall;
    }
  }

  /**
   * Blocks, in real time, until at least {@code count} threads sleep or wait through this clock, so
   * that a test advances time only once the code under test is waiting for it.
   *
   * @throws AssertionError when that many threads are not waiting within {@code timeout}
   */
  public void awaitWaiting(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (waiting < count) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          throw new AssertionError(
              waiting + " threads wait on the fake clock, not " + count + ", after " + timeout);
        }
        lock.wait(Math.max(1, remaining / 1_000_000L));
      }
    }
  }

  @Override
  public long nanos() {
    synchronized (lock) {
      return nanos;
    }
  }

  @Override
  public Instant wallTime() {
    synchronized (lock) {
      return wall;
    }
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    synchronized (lock) {
      long until = nanos + duration.toNanos();
      waiting++;
      lock.notifyAll();
      try {
        while (nanos < until) {
          lock.wait();
        }
      } finally {
        waiting--;
      }
    }
  }

  @Override
  public boolean await(Object monitor, BooleanSupplier condition, long deadlineNanos)
      throws InterruptedException {
    synchronized (lock) {
      monitors.merge(monitor, 1, Integer::sum);
      waiting++;
      lock.notifyAll();
    }
    try {
      while (!condition.getAsBoolean()) {
        if (nanos() >= deadlineNanos) {
          return false;
        }
        monitor.wait();
      }
      return true;
    } finally {
      synchronized (lock) {
        monitors.computeIfPresent(monitor, (m, n) -> n == 1 ? null : n - 1);
        waiting--;
      }
    }
  }
}
