package io.tandem.agent;

import io.tandem.lock.Lease;
import io.tandem.lock.LeaseEvent;
import io.tandem.lock.LeaseListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/* A lease whose suspicion the test triggers; closing it counts as giving the lock up. */
final class FakeLease implements Lease {
  private final long epoch;
  private final List<LeaseListener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean suspect = new AtomicBoolean();
  final AtomicBoolean closed = new AtomicBoolean();

  FakeLease(long epoch) {
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

  void suspect(String reason) {
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
