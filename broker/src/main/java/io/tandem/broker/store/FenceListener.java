package io.tandem.broker.store;

/** Told when another writer raised the store's fence: this one has stopped writing for good. */
@FunctionalInterface
public interface FenceListener {
  /** The fence moved from {@code ownEpoch} to {@code fenceEpoch}. */
  void fenced(long ownEpoch, long fenceEpoch);
}
