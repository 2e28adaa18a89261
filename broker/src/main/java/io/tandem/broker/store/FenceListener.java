package io.tandem.broker.store;

import io.tandem.broker.BrokerException;

/**
 * Told when the store stopped writing for good: another writer raised its fence, or an I/O error
 * that is not a full disk left the journal in an unknown state. Either way the broker must stop
 * serving; nothing more is acknowledged.
 */
@FunctionalInterface
public interface FenceListener {
  /** The fence moved from {@code ownEpoch} to {@code fenceEpoch}. */
  void fenced(long ownEpoch, long fenceEpoch);

  /**
   * A write or flush failed for a reason other than a full disk ({@code STORE_IO}); the store
   * refuses every further write. The default does nothing.
   */
  default void failed(BrokerException cause) {}
}
