package io.tandem.broker.store;

import java.util.ArrayList;
import java.util.List;

/**
 * The one step that applies a record of a complete batch to the {@link StoreIndex}: the writer
 * calls it for each record of a batch once the batch's flush and fence check succeeded, recovery
 * for each record of a batch it found whole. Both must build the same index from the same records,
 * which is why there is one step. Where recovery differs it says so through {@link Mode#RECOVERY}:
 * recovery reads deletions that a live writer applied at once only in merge order, so it keeps them
 * as tombstones and resolves them at the end, and it keeps each message's body to hand to the
 * broker.
 */
final class IndexApply {
  /** Who applies: the live writer, or recovery reading the journals back. */
  enum Mode {
    /** The writer, after a group commit: deletions take effect at once. */
    COMMIT,
    /** Recovery: deletions are tombstones resolved after the last record; bodies are kept. */
    RECOVERY
  }

  private final StoreIndex index;
  private final Mode mode;

  /** Prepares each added body while recovery follows a writer; null: bodies are kept as read. */
  private StoreFollower.Preparer preparer;

  IndexApply(StoreIndex index, Mode mode) {
    this.index = index;
    this.mode = mode;
  }

  /** Has {@code p} prepare every message body added from now on (a follower's recovery). */
  void prepareWith(StoreFollower.Preparer p) {
    this.preparer = p;
  }

  /** Applies {@code body}, a record of batch {@code batch} written at {@code at}. */
  void apply(Records.Body body, long batch, Journal.Location at) {
    if (body instanceof Records.AddBody a) {
      add(a, batch, at);
    } else if (body instanceof Records.RemoveBody r) {
      index.removeRef(r.messageId(), r.queueKey());
    } else if (body instanceof Records.SubscriptionBody s) {
      index.subscriptions.put(
          s.record().key(), new StoreIndex.SubscriptionState(s.record(), batch));
    } else if (body instanceof Records.DeleteBody d) {
      delete(d);
    } else if (body instanceof Records.LimitsBody l) {
      raiseMaxMessageId(l.maxMessageId());
    } else if (body instanceof Records.CheckpointBody c) {
      raiseMaxMessageId(c.maxMessageId());
    } else if (body instanceof Records.DuplicatesBody d) {
      d.entries().forEach(e -> index.window.add(e.destination(), e.producerId()));
    } else if (body instanceof Records.CleanBody c) {
      raiseMaxMessageId(c.maxMessageId());
    }
  }

  private void add(Records.AddBody a, long batch, Journal.Location at) {
    List<String> refs = a.queueKeys();
    if (mode == Mode.RECOVERY) {
      // a deletion already read whose batch is later than this one still takes these references
      refs = new ArrayList<>(refs);
      refs.removeIf(k -> index.tombstones.getOrDefault(k, -1L) > batch);
    }
    index.window.add(a.dupKey(), a.producerId());
    raiseMaxMessageId(a.messageId());
    if (mode == Mode.RECOVERY && refs.isEmpty()) {
      index.drop(a.messageId());
      return;
    }
    StoreIndex.Entry e =
        new StoreIndex.Entry(a.messageId(), a.expiresAt(), refs, a.dupKey(), a.producerId());
    e.location = at;
    e.addBatch = batch;
    if (mode == Mode.RECOVERY) {
      // handed to the broker once recovery ends, then dropped; the writer never keeps bodies
      e.data = a.data();
      e.prepared = prepared(a);
    }
    index.put(e);
  }

  // a body the preparer cannot read is left to the takeover, which reads it again and says why
  private Object prepared(Records.AddBody a) {
    if (preparer == null) {
      return null;
    }
    try {
      return preparer.prepare(a.data(), a.expiresAt());
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void delete(Records.DeleteBody d) {
    if (mode == Mode.RECOVERY) {
      // resolved against every reference read before it once the last record is read
      index.tombstones.merge(d.key(), d.deletedAt(), Math::max);
    } else {
      index.deleteSubscription(d.key(), d.deletedAt());
    }
  }

  private void raiseMaxMessageId(long id) {
    index.maxMessageId = Math.max(index.maxMessageId, id);
  }
}
