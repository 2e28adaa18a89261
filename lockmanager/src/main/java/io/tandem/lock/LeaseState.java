package io.tandem.lock;

/*
 * The life of a lease; it only moves forward. VALID: the holder owns the lock. SUSPECT: the holder
 * can no longer be sure (connection suspended, or the lease is being given up). LOST: the lock is
 * no longer held through this lease. Transitions happen in TrackedLease.moveTo only.
 */
enum LeaseState {
  VALID,
  SUSPECT,
  LOST;

  LeaseEvent event() {
    return this == SUSPECT ? LeaseEvent.SUSPECT : LeaseEvent.LOST;
  }
}
