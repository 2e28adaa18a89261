package io.tandem.lock;

/** Told when a {@link Lease} stops being trustworthy and when it is gone. */
@FunctionalInterface
public interface LeaseListener {

  /**
   * Called once per event per lease.
   *
   * @param event {@link LeaseEvent#SUSPECT} (stop writing now) or {@link LeaseEvent#LOST} (the lock
   *     is no longer held by this lease)
   * @param reason why, in words fit for a log line
   */
  void onLeaseEvent(LeaseEvent event, String reason);
}
