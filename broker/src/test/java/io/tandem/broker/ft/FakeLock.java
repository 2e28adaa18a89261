package io.tandem.broker.ft;

import io.tandem.lock.FakeLease;
import io.tandem.lock.FencedLock;
import io.tandem.lock.Lease;
import io.tandem.lock.LockException;
import io.tandem.lock.LockStatus;
import io.tandem.process.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/* A store lock held elsewhere until the test frees it; a wait for it runs on the test's clock. */
final class FakeLock implements FencedLock {
  private final Clock clock;
  private final Object monitor = new Object();
  private boolean free;
  private long lastEpoch;
  final List<FakeLease> granted = new CopyOnWriteArrayList<>();
  final AtomicBoolean closed = new AtomicBoolean();

  FakeLock(Clock clock, boolean free) {
    this.clock = clock;
    this.free = free;
  }

  void free() {
    synchronized (monitor) {
      free = true;
      monitor.notifyAll();
    }
  }

  @Override
  public Lease acquire(Duration timeout) {
    synchronized (monitor) {
      try {
        if (!clock.await(monitor, () -> free, clock.nanos() + timeout.toNanos())) {
          throw new LockException(LockException.Category.TIMEOUT, "held by the other member");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LockException(LockException.Category.INTERRUPTED, "interrupted");
      }
      return grant();
    }
  }

  @Override
  public Optional<Lease> tryAcquire() {
    synchronized (monitor) {
      return free ? Optional.of(grant()) : Optional.empty();
    }
  }

  private Lease grant() {
    free = false;
    FakeLease lease = new FakeLease(++lastEpoch);
    granted.add(lease);
    return lease;
  }

  @Override
  public LockStatus status() {
    synchronized (monitor) {
      return new LockStatus(!free, Optional.empty(), lastEpoch);
    }
  }

  @Override
  public String describe() {
    return "fake lock";
  }

  @Override
  public void close() {
    closed.set(true);
  }
}
