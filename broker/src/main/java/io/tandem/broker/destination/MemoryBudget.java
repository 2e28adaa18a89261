package io.tandem.broker.destination;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of message data held in memory against {@code max_msg_memory}. Above the limit the protocol
 * layer stops granting producers credit; listeners hear when usage drops back.
 */
public final class MemoryBudget {
  private final long limit;
  private final AtomicLong used = new AtomicLong();
  private final List<Runnable> belowLimitListeners = new CopyOnWriteArrayList<>();

  /** Creates a budget of {@code limit} bytes (0 for no limit). */
  public MemoryBudget(long limit) {
    this.limit = limit;
  }

  /** Bytes in use. */
  public long used() {
    return used.get();
  }

  /** The limit, 0 for none. */
  public long limit() {
    return limit;
  }

  /** Whether producers should wait. */
  public boolean exhausted() {
    return limit > 0 && used.get() >= limit;
  }

  /**
   * Whether usage is so far above the limit that a message arriving on credit granted earlier must
   * be refused: a quarter above it. Credit is sized so that this is rare; it is the hard ceiling
   * that keeps the heap bounded whatever producers hold in credit.
   */
  public boolean overCeiling() {
    return limit > 0 && used.get() >= limit + limit / 4;
  }

  /** Bytes left below the limit ({@code Long.MAX_VALUE} without a limit). */
  public long free() {
    return limit <= 0 ? Long.MAX_VALUE : Math.max(0, limit - used.get());
  }

  /** Registers a callback run (on the releasing thread) when usage drops below the limit. */
  public void onBelowLimit(Runnable listener) {
    belowLimitListeners.add(listener);
  }

  /** Removes a callback registered with {@link #onBelowLimit}. */
  public void removeListener(Runnable listener) {
    belowLimitListeners.remove(listener);
  }

  void acquire(long bytes) {
    used.addAndGet(bytes);
  }

  void release(long bytes) {
    long after = used.addAndGet(-bytes);
    if (limit > 0 && after < limit && after + bytes >= limit) {
      belowLimitListeners.forEach(Runnable::run);
    }
  }
}
