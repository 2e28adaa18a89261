package io.tandem.broker.destination;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The ids the broker hands out: message ids, which continue after the last stored one, and local
 * ids that number temporary destinations and unnamed subscriptions (one sequence for both).
 */
final class IdSource {
  private final AtomicLong messageIds = new AtomicLong();
  private final AtomicLong localIds = new AtomicLong();

  /** Continues message ids after {@code lastStored}, the highest id recovery found. */
  void continueAfter(long lastStored) {
    messageIds.set(lastStored);
  }

  long nextMessageId() {
    return messageIds.incrementAndGet();
  }

  long nextLocalId() {
    return localIds.incrementAndGet();
  }
}
