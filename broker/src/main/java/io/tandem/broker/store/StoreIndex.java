package io.tandem.broker.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the store knows about its live state: where each live message is and which queues still
 * reference it, subscriptions, deletion tombstones, the duplicate window. Recovery builds it; the
 * writer thread alone changes it afterwards.
 */
final class StoreIndex {
  /**
   * In the order their records were read, which is nearly their id order: the hand-over to the
   * broker sorts them by id, and on a nearly sorted list that costs a pass instead of a full sort.
   */
  final Map<Long, Entry> messages = new LinkedHashMap<>();

  final Map<String, SubscriptionState> subscriptions = new HashMap<>();
  final Map<String, Long> tombstones = new HashMap<>();

  /** How far each older epoch's segment is valid, as this epoch recovered it. */
  final Map<Segment.Id, Long> limits = new HashMap<>();

  /** Batches that failed after writing part of their records: never applied. */
  final Set<BatchId> aborted = new HashSet<>();

  final DuplicateWindow window;
  long maxMessageId;
  long maxBatch;

  StoreIndex(int dupWindow) {
    this.window = new DuplicateWindow(dupWindow);
  }

  /**
   * A batch by the epoch that wrote it and its id. Ids are unique within an epoch only: a fenced
   * writer may go on numbering batches that a newer epoch numbers too.
   */
  record BatchId(long epoch, long batch) implements Comparable<BatchId> {
    /** The order batches were written in: by epoch, then batch id within the epoch. */
    static int order(long epochA, long batchA, long epochB, long batchB) {
      int byEpoch = Long.compare(epochA, epochB);
      return byEpoch != 0 ? byEpoch : Long.compare(batchA, batchB);
    }

    @Override
    public int compareTo(BatchId o) {
      return order(epoch, batch, o.epoch, o.batch);
    }
  }

  void abort(long epoch, long batch) {
    aborted.add(new BatchId(epoch, batch));
  }

  /** A live message: the location of its latest ADD record and the queues referencing it. */
  static final class Entry {
    final long messageId;
    final long expiresAt;
    final String dupKey;
    final String producerId;
    Journal.Location location;
    long addBatch;
    final List<String> refs;
    byte[] data;

    /** What a follower's {@link StoreFollower.Preparer} made of {@link #data}, or null. */
    Object prepared;

    Entry(long messageId, long expiresAt, List<String> refs, String dupKey, String producerId) {
      this.messageId = messageId;
      this.expiresAt = expiresAt;
      this.refs = new ArrayList<>(refs);
      this.dupKey = dupKey;
      this.producerId = producerId;
    }
  }

  /** A subscription and the batch that last wrote it. */
  record SubscriptionState(SubscriptionRecord record, long batch) {}

  /** Makes {@code e} live at its location, replacing an older copy of the same message. */
  void put(Entry e) {
    Entry old = messages.put(e.messageId, e);
    if (old != null) {
      unaccount(old);
    }
    e.location.segment().liveMessages++;
    e.location.segment().liveBytes += e.location.length();
    maxMessageId = Math.max(maxMessageId, e.messageId);
  }

  /** Drops one reference; the message dies with its last one. */
  void removeRef(long messageId, String key) {
    Entry e = messages.get(messageId);
    if (e != null && e.refs.remove(key) && e.refs.isEmpty()) {
      messages.remove(messageId);
      unaccount(e);
    }
  }

  /** Forgets a message whose references are all gone. */
  void drop(long messageId) {
    Entry e = messages.remove(messageId);
    if (e != null) {
      unaccount(e);
    }
  }

  /**
   * Drops every reference to {@code key} made by a batch before {@code deletedAt}; within one batch
   * deletions come first, so a batch may delete and re-create a subscription.
   */
  void deleteSubscription(String key, long deletedAt) {
    tombstones.merge(key, deletedAt, Math::max);
    SubscriptionState s = subscriptions.get(key);
    if (s != null && s.batch() < deletedAt) {
      subscriptions.remove(key);
    }
    List<Long> dead = new ArrayList<>();
    for (Entry e : messages.values()) {
      if (e.addBatch < deletedAt && e.refs.remove(key) && e.refs.isEmpty()) {
        dead.add(e.messageId);
      }
    }
    for (Long id : dead) {
      unaccount(messages.remove(id));
    }
  }

  private static void unaccount(Entry e) {
    e.location.segment().liveMessages--;
    e.location.segment().liveBytes -= e.location.length();
  }

  long liveBytes(Journal j) {
    long n = 0;
    for (Segment s : j.segments()) {
      n += s.liveBytes;
    }
    return n;
  }
}
