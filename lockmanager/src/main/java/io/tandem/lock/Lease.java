package io.tandem.lock;

/**
 * One grant of a {@link FencedLock}, identified by its epoch.
 *
 * <p>A lease is valid from the moment it is returned until its holder can no longer be sure it
 * holds the lock. Listeners then hear {@link LeaseEvent#SUSPECT} and, once the lock is given up,
 * {@link LeaseEvent#LOST}: both exactly once and in that order, whatever ended the lease (release,
 * lock close, ZooKeeper connection loss, session expiry). A lease that has become invalid never
 * becomes valid again: acquire a new one, which carries a greater epoch.
 */
public interface Lease extends AutoCloseable {

  /** The fencing token: strictly greater than the epoch of every earlier lease on this lock. */
  long epoch();

  /**
   * Whether the holder may still act as the lock's owner. False as soon as the lease is suspect;
   * for a ZooKeeper lease also as soon as the client is disconnected, even before the listeners
   * have been told.
   */
  boolean isValid();

  /**
   * Registers a listener. Events that already happened to this lease are delivered at once, on the
   * calling thread, so no event can slip between acquiring and registering. Listeners run on the
   * thread that ended the lease or on the lock's event thread and should return promptly.
   */
  void addListener(LeaseListener listener);

  /** Unregisters a listener; a no-op if it was not registered. */
  void removeListener(LeaseListener listener);

  /**
   * Gives the lock up: listeners hear SUSPECT, the lock is released, then listeners hear LOST.
   * Idempotent.
   */
  @Override
  void close();
}
