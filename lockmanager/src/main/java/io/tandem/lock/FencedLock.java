package io.tandem.lock;

import java.time.Duration;
import java.util.Optional;

/**
 * An exclusive lock whose every grant carries an epoch strictly greater than any earlier grant's,
 * across holders, process restarts and hosts.
 *
 * <p>One instance hands out at most one {@link Lease} at a time; to acquire again, close the
 * current lease first. Closing the lock ends its lease (if any) and aborts a pending {@link
 * #acquire}. Every method throws {@link LockException}.
 */
public interface FencedLock extends AutoCloseable {

  /**
   * Waits up to {@code timeout} for the lock.
   *
   * @return a valid lease whose epoch is already stored durably
   * @throws LockException {@code TIMEOUT} if the lock stayed held elsewhere; {@code INTERRUPTED} if
   *     the calling thread was interrupted (its interrupt flag is set again); {@code CLOSED} if
   *     this lock was closed; {@code ILLEGAL_STATE} if this instance still holds a lease or is
   *     already acquiring; or the category of the failure that prevented trying
   */
  Lease acquire(Duration timeout);

  /**
   * Makes one attempt without waiting for a holder to let go.
   *
   * @return the lease, or empty if the lock is held elsewhere
   */
  Optional<Lease> tryAcquire();

  /** Reads who holds the lock, or held it last, without acquiring it. */
  LockStatus status();

  /** Names the lock for logs and messages, e.g. {@code file lock /srv/store/lock}. */
  String describe();

  /** Ends the current lease, if any, and aborts a pending acquire. Idempotent. */
  @Override
  void close();
}
