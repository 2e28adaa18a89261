package io.tandem.broker.store;

/** Hears every group commit, for metrics. Called on the store's writer thread; must be quick. */
@FunctionalInterface
public interface CommitObserver {
  /**
   * A group of {@code batches} batches was written; {@code flushNanos} is the time spent in flushes
   * (0 when the group needed no flush: only asynchronous writes).
   */
  void committed(int batches, long flushNanos);
}
