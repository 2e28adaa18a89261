package io.tandem.broker.store;

import java.util.concurrent.CompletableFuture;

/**
 * Durable storage for messages, acknowledgements and metadata. Implementations apply each batch
 * atomically and complete its future only when the batch is as durable as it asks to be; a future
 * completed exceptionally means nothing in the batch may be reported to a client as stored.
 */
public interface MessageStore extends AutoCloseable {

  /** Reads back everything stored; called once, before the first {@link #write}. */
  Recovered recover();

  /** Applies {@code batch} atomically. */
  CompletableFuture<Void> write(StoreBatch batch);

  /**
   * Whether a message with {@code producerMessageId} sent to {@code destination} was stored
   * recently (within the duplicate-detection window); such a resend is acknowledged without storing
   * a second copy.
   */
  default boolean isDuplicate(String destination, String producerMessageId) {
    return false;
  }

  /**
   * After {@link #recover}: keeps the recovered duplicate-detection entries for {@code period} even
   * if newer sends push them out of the window, so that clients failing over to this broker can
   * resend what was in doubt ({@code ft_reconnect_timeout}).
   */
  default void retainRecoveredDuplicates(java.time.Duration period) {}

  /** The epoch this store writes with (0 for a store without one, e.g. in memory). */
  default long epoch() {
    return 0;
  }

  /** Registers the one observer of group commits (for metrics); replaces an earlier one. */
  default void observeCommits(CommitObserver observer) {}

  /** Flushes what is pending and releases files; idempotent. */
  @Override
  void close();
}
