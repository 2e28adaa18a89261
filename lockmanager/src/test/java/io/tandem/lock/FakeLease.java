package io.tandem.lock;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A lease whose suspicion a test raises, for unit tests of what holds a lock (the broker's pair
 * member, the agent). Like the real leases it tells SUSPECT before LOST, each once, and closing it
 * gives the lock up ({@link #closed}).
 */
public final class FakeLease implements Lease {
  private final long epoch;
  private final List<LeaseListener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean suspect = new AtomicBoolean();

  /** Whether the holder gave the lock up. */
  public final AtomicBoolean closed = new AtomicBoolean();

  /** A valid lease of {@code epoch}. */
  public FakeLease(long epoch) {
    this.epoch = epoch;
  }

  @Override
  public long epoch() {
    return epoch;
  }

  @Override
  public boolean isValid() {
    return !suspect.get() && !closed.get();
  }

  @Override
  public void addListener(LeaseListener listener) {
    listeners.add(listener);
  }

  @Override
  public void removeListener(LeaseListener listener) {
    listeners.remove(listener);
  }

  /** Makes the lease suspect, as a lost ZooKeeper connection would; a no-op once suspect. */
  public void suspect(String reason) {
    if (suspect.compareAndSet(false, true)) {
      listeners.forEach(l -> l.onLeaseEvent(LeaseEvent.SUSPECT, reason));
    }
  }

  @Override
  public void close() {
    suspect("released by its holder");
    if (closed.compareAndSet(false, true)) {
      listeners.forEach(l -> l.onLeaseEvent(LeaseEvent.LOST, "released by its holder"));
    }
  }
}
