package io.tandem.broker.destination;

import io.tandem.broker.message.Message;
import io.tandem.broker.store.StoreBatch;
import java.util.List;

/**
 * Where one sent message goes: the queues (or subscriptions) that get it and, if it must be stored,
 * the store record. Computed when the message arrives, applied once it is stored.
 *
 * @param messageId the id assigned to the message
 * @param message the message (with any destination expiry applied)
 * @param targets the queues that get an entry
 * @param add the store record, or {@code null} when nothing is stored
 */
public record Route(
    long messageId, Message message, List<MessageQueue> targets, StoreBatch.Add add) {

  void apply() {
    for (MessageQueue q : targets) {
      q.enqueue(message, messageId, 0);
    }
  }
}
