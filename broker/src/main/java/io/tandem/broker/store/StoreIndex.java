package io.tandem.broker.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

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

  /** Told of every reference that becomes live or goes, while a follower reads; else null. */
  StoreFollower.Mirror mirror;

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
    if (mirror != null) {
      mirrorReplaced(old, e);
    }
  }

  // a copy (compaction's, or the same message written again) keeps the references both name
  private void mirrorReplaced(Entry old, Entry e) {
    if (old != null) {
      for (String k : old.refs) {
        if (!e.refs.contains(k)) {
          mirror.removed(old.messageId, k, old.prepared);
        }
      }
    }
    for (String k : e.refs) {
      if (old == null || !old.refs.contains(k)) {
        mirror.added(e.messageId, k, e.prepared);
      }
    }
  }

  /** Drops one reference; the message dies with its last one. */
  void removeRef(long messageId, String key) {
    Entry e = messages.get(messageId);
    if (e != null && e.refs.remove(key)) {
      if (mirror != null) {
        mirror.removed(messageId, key, e.prepared);
      }
      if (e.refs.isEmpty()) {
        messages.remove(messageId);
        unaccount(e);
      }
    }
  }

  /** Forgets a message and whatever references it still had. */
  void drop(long messageId) {
    Entry e = messages.remove(messageId);
    if (e != null) {
      if (mirror != null) {
        e.refs.forEach(k -> mirror.removed(messageId, k, e.prepared));
      }
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
    removeRefsIf((e, k) -> e.addBatch < deletedAt && k.equals(key));
  }

  /** Drops each reference {@code gone} names; messages left without any die. */
  void removeRefsIf(BiPredicate<Entry, String> gone) {
    List<Long> dead = new ArrayList<>();
    for (Entry e : messages.values()) {
      for (Iterator<String> it = e.refs.iterator(); it.hasNext(); ) {
        String k = it.next();
        if (gone.test(e, k)) {
          it.remove();
          if (mirror != null) {
            mirror.removed(e.messageId, k, e.prepared);
          }
        }
      }
      if (e.refs.isEmpty()) {
        dead.add(e.messageId);
      }
    }
    dead.forEach(this::drop);
  }

  /**
   * Lets go of the bodies recovery kept, once the broker holds the messages (a follower's mirror
   * built its queues): the index needs only where each one is. Returns the live references (each
   * live message's queues, summed), which the mirror must hold too.
   */
  long releaseBodies() {
    long refs = 0;
    for (Entry e : messages.values()) {
      refs += e.refs.size();
      e.data = null;
      e.prepared = null;
    }
    return refs;
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
