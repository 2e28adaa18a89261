package io.tandem.lock;

import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The life of one lock instance and its at-most-one lease. All transitions go through moveTo; the
 * monitor is never held while waiting for the lock or calling out.
 */
final class LeaseSlot {

  /*
   * IDLE: no lease, nobody acquiring. ACQUIRING: one thread is trying. HOLDING: a lease is out.
   * CLOSED: final.
   */
  enum Phase {
    IDLE,
    ACQUIRING,
    HOLDING,
    CLOSED
  }

  // What became of a grant offered to hold.
  enum Outcome {
    HELD,
    REFUSED,
    CLOSED
  }

  private static final Logger LOG = LoggerFactory.getLogger(LeaseSlot.class);

  private final String lockName;
  private Phase phase = Phase.IDLE;
  private TrackedLease lease;

  LeaseSlot(String lockName) {
    this.lockName = lockName;
  }

  synchronized void beginAcquire() {
    switch (phase) {
      case IDLE -> moveTo(Phase.ACQUIRING, "acquire started");
      case CLOSED -> throw closed();
      case ACQUIRING ->
          throw new LockException(
              LockException.Category.ILLEGAL_STATE,
              lockName + ": another thread is already acquiring through this lock instance");
      case HOLDING ->
          throw new LockException(
              LockException.Category.ILLEGAL_STATE,
              lockName + ": this lock instance still holds " + lease + "; close that lease first");
      default -> throw new IllegalStateException("unknown phase " + phase);
    }
  }

  // Back to IDLE after an acquire that produced no lease.
  synchronized void abortAcquire(String reason) {
    if (phase == Phase.ACQUIRING) {
      moveTo(Phase.IDLE, reason);
    }
  }

  /*
   * Installs a granted lease if the lock is still open and stillOwned holds, evaluated
   * under this monitor so that a concurrent connection loss either sees the lease or fails it.
   */
  synchronized Outcome hold(TrackedLease granted, BooleanSupplier stillOwned) {
    if (phase == Phase.CLOSED) {
      return Outcome.CLOSED;
    }
    if (!stillOwned.getAsBoolean()) {
      return Outcome.REFUSED;
    }
    lease = granted;
    moveTo(Phase.HOLDING, "granted epoch " + granted.epoch());
    return Outcome.HELD;
  }

  synchronized TrackedLease current() {
    return lease;
  }

  synchronized void leaseEnded(TrackedLease ended) {
    if (lease != ended) {
      return;
    }
    lease = null;
    if (phase == Phase.HOLDING) {
      moveTo(Phase.IDLE, "lease epoch " + ended.epoch() + " ended");
    }
  }

  synchronized boolean isClosed() {
    return phase == Phase.CLOSED;
  }

  // Moves to CLOSED; true only for the first call.
  synchronized boolean close() {
    if (phase == Phase.CLOSED) {
      return false;
    }
    moveTo(Phase.CLOSED, "lock closed");
    return true;
  }

  LockException closed() {
    return new LockException(LockException.Category.CLOSED, lockName + " is closed");
  }

  private void moveTo(Phase target, String reason) {
    LOG.debug("{}: {} -> {} ({})", lockName, phase, target, reason);
    phase = target;
  }
}
