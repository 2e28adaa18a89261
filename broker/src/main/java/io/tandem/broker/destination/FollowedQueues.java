package io.tandem.broker.destination;

import io.tandem.broker.message.Message;
import io.tandem.broker.store.StoreFollower;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The queues a backup keeps built while it follows the shared store: for each queue key the store
 * uses, the live messages in the order the queue will deliver them, as {@link QueueEntry}s not yet
 * in any queue. The takeover gives each map to its queue whole ({@link MessageQueue#adopt}), so a
 * million waiting messages cost one pass instead of a sort, a copy and a map built again.
 *
 * <p>Entries are numbered by message id, the order a queue recovered from the list would give them,
 * and share one {@link QueueEntry.Home} per queue, which the adopting queue points at itself. What
 * it costs while the backup waits: per live reference one entry and one map node (about 80 bytes),
 * beside the decoded messages the follower keeps anyway. Used by one thread at a time: the
 * follower's, then the takeover's.
 */
public final class FollowedQueues implements StoreFollower.Mirror {
  private final Map<String, Built> queues = new HashMap<>();
  private long references;
  private String incomplete;

  // most records name the queue the one before them named: no hash for them
  private String lastKey;
  private Built last;

  /**
   * The delivery count entries are built with: a backup takes over after an unclean stop, after
   * which each live message counts as delivered once (deliveries are not journaled).
   */
  static final int DELIVERIES = 1;

  /** One queue's entries, their bytes, the highest message id added, and their shared home. */
  static final class Built {
    final TreeMap<Long, QueueEntry> entries = new TreeMap<>();
    final QueueEntry.Home home = new QueueEntry.Home(null);
    long bytes;
    long lastId;
  }

  @Override
  public void added(long messageId, String queueKey, Object prepared) {
    Message m = readable(messageId, prepared);
    if (m == null) {
      return;
    }
    Built b = built(queueKey);
    QueueEntry e = new QueueEntry(b.home, m, messageId, messageId, DELIVERIES);
    if (b.entries.putIfAbsent(e.orderKey(), e) == null) {
      b.bytes += m.size();
      b.lastId = Math.max(b.lastId, messageId);
      references++;
    }
  }

  @Override
  public void removed(long messageId, String queueKey, Object prepared) {
    Message m = readable(messageId, prepared);
    if (m == null) {
      return;
    }
    Built b = queueKey.equals(lastKey) ? last : queues.get(queueKey);
    if (b == null) {
      return;
    }
    QueueEntry e = b.entries.remove(QueueEntry.orderKey(m.priority(), messageId));
    if (e != null) {
      b.bytes -= e.message().size();
      references--;
    }
  }

  /**
   * {@code prepared} as a message while this mirror still holds everything; null once it does not,
   * which a message the follower could not decode makes so for good (the takeover then builds the
   * queues from the store).
   */
  private Message readable(long messageId, Object prepared) {
    if (incomplete != null) {
      return null;
    }
    if (!(prepared instanceof Message m)) {
      incomplete = "stored message " + messageId + " could not be read while following";
      queues.clear();
      last = null;
      lastKey = null;
      return null;
    }
    return m;
  }

  private Built built(String key) {
    if (!key.equals(lastKey)) {
      last = queues.computeIfAbsent(key, k -> new Built());
      lastKey = key;
    }
    return last;
  }

  @Override
  public long references() {
    return references;
  }

  @Override
  public String incomplete() {
    return incomplete;
  }

  /** Hands each queue key's entries over, then holds nothing. */
  void drainTo(BiConsumer<String, Built> each) {
    queues.forEach(each);
    queues.clear();
    last = null;
    lastKey = null;
    references = 0;
  }
}
