package io.tandem.lock;

/** What a {@link LeaseListener} is told, in this order. */
public enum LeaseEvent {
  /** The holder can no longer be sure it holds the lock: stop writing now. */
  SUSPECT,
  /** The lock is no longer held through this lease. */
  LOST
}
