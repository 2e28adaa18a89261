package io.tandem.broker.destination;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import io.tandem.broker.message.Message;
import io.tandem.broker.message.MessageCodec;
import io.tandem.broker.store.MessageStore;
import io.tandem.broker.store.StoreBatch;
import java.util.List;
import java.util.logging.Logger;

/**
 * Moves messages that cannot be delivered to {@code $sys.undelivered}, annotated with where they
 * came from and why; a message given up in that queue itself is dropped. The removal from the
 * source and the add to the dead-letter queue are one store batch, so a crash leaves the message in
 * exactly one of them. Called with the source queue's monitor held: it takes the dead-letter
 * queue's monitor only (after the store write), never the source's or a registry's.
 */
final class DeadLetterRoute implements DeadLetters {
  private static final Logger LOG = Logger.getLogger(Destinations.class.getName());

  private final MessageStore store;
  private final IdSource ids;
  private volatile MessageQueue target;

  DeadLetterRoute(MessageStore store, IdSource ids) {
    this.store = store;
    this.ids = ids;
  }

  /** Starts routing to {@code undelivered}, created at recovery before any message moves. */
  void routeTo(MessageQueue undelivered) {
    this.target = undelivered;
  }

  @Override
  public void deadLetter(QueueEntry entry, String reason) {
    MessageQueue source = entry.queue();
    MessageQueue dlq = target;
    if (dlq == null) {
      throw new BrokerException(Category.ILLEGAL_STATE, "dead-letter queue used before recovery");
    }
    StoreBatch.Builder batch = new StoreBatch.Builder();
    if (source.persists(entry.message())) {
      batch.remove(
          new StoreBatch.Remove(
              source.storeKey().text(), entry.messageId(), source.properties().failsafe()));
    }
    if (source == dlq) {
      LOG.warning("message " + entry.messageId() + " dropped from " + dlq.name() + ": " + reason);
      store.write(batch.build());
      return;
    }
    Message moved = MessageCodec.annotateUndelivered(entry.message(), source.name(), reason);
    long id = ids.nextMessageId();
    if (dlq.persists(moved)) {
      batch.add(
          new StoreBatch.Add(
              id,
              MessageCodec.encodeForStore(moved),
              0,
              List.of(dlq.storeKey().text()),
              dlq.properties().failsafe()));
    }
    LOG.info(
        "message "
            + entry.messageId()
            + " moved from "
            + source.name()
            + " to "
            + dlq.name()
            + ": "
            + reason);
    store.write(batch.build()).thenRun(() -> dlq.enqueue(moved, id, 0));
  }
}
