package io.tandem.broker.destination;

import io.tandem.broker.config.DestinationProperties;
import io.tandem.broker.config.OverflowPolicy;
import io.tandem.broker.message.Message;
import io.tandem.broker.store.StoreBatch;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * Messages waiting for consumers, in priority order and then arrival order, with competing
 * consumers served round-robin within their credit. Serves queues and topic subscriptions alike.
 * All state is guarded by the queue's own monitor (see the package's locking rule).
 */
public final class MessageQueue {
  private static final Logger LOG = Logger.getLogger(MessageQueue.class.getName());

  private final String name;
  private final DestinationKey storeKey;
  private final DestinationProperties props;
  private final QueueContext context;
  private final QueueEntry.Home home = new QueueEntry.Home(this);
  private TreeMap<Long, QueueEntry> pending = new TreeMap<>();
  private final List<QueueConsumer> consumers = new ArrayList<>();
  private long nextSeq;
  private int nextConsumer;
  private long messages;
  private long bytes;
  private long enqueued;
  private long dequeued;

  MessageQueue(
      String name, DestinationKey storeKey, DestinationProperties props, QueueContext context) {
    this.name = name;
    this.storeKey = storeKey;
    this.props = props;
    this.context = context;
  }

  /** The destination (or subscription) name. */
  public String name() {
    return name;
  }

  /**
   * The key under which the store keeps this queue's messages, or {@code null} if it is not kept.
   */
  public DestinationKey storeKey() {
    return storeKey;
  }

  /** The destination properties in force. */
  public DestinationProperties properties() {
    return props;
  }

  /** Whether a message stored for this queue must be flushed before the producer is told. */
  boolean persists(Message m) {
    return storeKey != null && m.durable();
  }

  /** Whether there is room for one more message of {@code size} bytes under its policy. */
  synchronized boolean hasRoomFor(long size) {
    if (props.overflowPolicy() == OverflowPolicy.DISCARD_OLD) {
      return true;
    }
    boolean countFull = props.maxMsgs() > 0 && messages >= props.maxMsgs();
    boolean bytesFull = props.maxBytes() > 0 && bytes + size > props.maxBytes();
    return !countFull && !bytesFull;
  }

  /** Adds a message that is already as durable as it needs to be, and dispatches. */
  synchronized void enqueue(Message message, long messageId, int deliveryCount) {
    QueueEntry entry = new QueueEntry(home, message, messageId, nextSeq++, deliveryCount);
    messages++;
    bytes += message.size();
    enqueued++;
    context.memory().acquire(message.size());
    putPending(entry);
    if (props.overflowPolicy() == OverflowPolicy.DISCARD_OLD) {
      discardOldest();
    }
    dispatch();
  }

  /** A stored message on its way back into its queue at startup or takeover. */
  record Restored(Message message, long messageId, int deliveryCount) {}

  /**
   * Puts back what the store recovered, in its order, as {@link #enqueue} would one by one, but
   * under one lock and one memory charge, and into an empty queue by building the ordered map in a
   * single pass over the sorted entries instead of searching it once per message: a takeover with a
   * large backlog spends its time here.
   */
  synchronized void restore(List<Restored> recovered) {
    if (recovered.isEmpty()) {
      return;
    }
    List<QueueEntry> entries = new ArrayList<>(recovered.size());
    long size = 0;
    for (Restored r : recovered) {
      entries.add(new QueueEntry(home, r.message(), r.messageId(), nextSeq++, r.deliveryCount()));
      size += r.message().size();
    }
    messages += entries.size();
    bytes += size;
    enqueued += entries.size();
    context.memory().acquire(size);
    if (pending.isEmpty()) {
      // in arrival order already unless priorities differ; TimSort sees the single run
      entries.sort(java.util.Comparator.comparingLong(QueueEntry::orderKey));
      pending.putAll(new SortedEntries(entries));
      long first = entries.get(0).orderKey();
      for (QueueConsumer c : consumers) {
        if (c.rejectedThrough >= first) {
          c.rejectedThrough = first - 1;
        }
      }
    } else {
      entries.forEach(this::putPending);
    }
    if (props.overflowPolicy() == OverflowPolicy.DISCARD_OLD) {
      discardOldest();
    }
    dispatch();
  }

  /**
   * Takes over what a following backup built of this queue while it waited ({@link
   * FollowedQueues.Built}): entries ordered by {@link QueueEntry#orderKey}, numbered by message id,
   * counted as delivered once. An empty queue takes the map itself and points the entries' shared
   * home at itself, so the takeover costs nothing per message after an unclean stop and one pass
   * after a clean one (whose messages were not delivered); a queue that already holds messages
   * takes them one by one, renumbered.
   */
  synchronized void adopt(FollowedQueues.Built built, int deliveryCount) {
    TreeMap<Long, QueueEntry> entries = built.entries;
    if (entries.isEmpty()) {
      return;
    }
    messages += entries.size();
    bytes += built.bytes;
    enqueued += entries.size();
    context.memory().acquire(built.bytes);
    if (pending.isEmpty()) {
      built.home.adoptedBy(this);
      if (deliveryCount != FollowedQueues.DELIVERIES) {
        entries.values().forEach(e -> e.deliveryCount(deliveryCount));
      }
      nextSeq = Math.max(nextSeq, built.lastId + 1);
      pending = entries;
      long first = entries.firstKey();
      for (QueueConsumer c : consumers) {
        if (c.rejectedThrough >= first) {
          c.rejectedThrough = first - 1;
        }
      }
    } else {
      for (QueueEntry e : entries.values()) {
        putPending(new QueueEntry(home, e.message(), e.messageId(), nextSeq++, deliveryCount));
      }
    }
    if (props.overflowPolicy() == OverflowPolicy.DISCARD_OLD) {
      discardOldest();
    }
    dispatch();
  }

  private void discardOldest() {
    while ((props.maxMsgs() > 0 && messages > props.maxMsgs())
        || (props.maxBytes() > 0 && bytes > props.maxBytes() && messages > 1)) {
      QueueEntry oldest = oldestPending();
      if (oldest == null) {
        return;
      }
      pending.remove(oldest.orderKey());
      removeDurably(oldest);
    }
  }

  private QueueEntry oldestPending() {
    QueueEntry oldest = null;
    for (int level = 0; level <= 9; level++) {
      Map.Entry<Long, QueueEntry> e = pending.ceilingEntry((long) level << 56);
      if (e != null && (e.getKey() >>> 56) == level) {
        if (oldest == null || e.getValue().seq() < oldest.seq()) {
          oldest = e.getValue();
        }
      }
    }
    return oldest;
  }

  /** Attaches a consumer; it gets messages once it has credit. */
  public synchronized void addConsumer(QueueConsumer consumer) {
    consumers.add(consumer);
  }

  /**
   * Detaches a consumer. Its unsettled deliveries return to the queue; when {@code counted} they
   * may have been seen, so their delivery count goes up (JMSRedelivered).
   */
  public synchronized void removeConsumer(QueueConsumer consumer, boolean counted) {
    consumer.closed = true;
    consumers.remove(consumer);
    for (QueueEntry e : new ArrayList<>(consumer.unsettled)) {
      settleLocked(e, counted ? Outcome.MODIFIED_FAILED : Outcome.RELEASED);
    }
    consumer.unsettled.clear();
    dispatch();
  }

  /** Number of attached consumers, browsers excluded. */
  public synchronized int consumerCount() {
    return (int) consumers.stream().filter(c -> !c.browser()).count();
  }

  /**
   * Sets the consumer's credit from its link credit and dispatches. With {@code drain}, dispatches
   * what it can now, then tells the sink the drain is over.
   */
  public synchronized void flow(QueueConsumer consumer, int linkCredit, boolean drain) {
    if (consumer.closed) {
      return;
    }
    consumer.credit = Math.max(0, linkCredit - consumer.inTransit());
    dispatch();
    if (drain) {
      consumer.credit = 0;
      consumer.sink().drained();
    }
  }

  /**
   * Settles a delivery. Accepted messages are removed, durably if stored; the future completes when
   * the removal is as durable as the destination requires.
   */
  public CompletableFuture<Void> settle(QueueEntry entry, Outcome outcome) {
    if (outcome == Outcome.ACCEPTED) {
      synchronized (this) {
        if (!release(entry)) {
          return CompletableFuture.completedFuture(null);
        }
      }
      return removeDurably(entry);
    }
    synchronized (this) {
      settleLocked(entry, outcome);
      dispatch();
    }
    return CompletableFuture.completedFuture(null);
  }

  /**
   * Adds the removal of an accepted entry to a transaction's batch; {@link #commitAccepted} or
   * {@link #settle} with a non-accepting outcome completes it later.
   */
  void prepareAccept(QueueEntry entry, StoreBatch.Builder batch) {
    if (persists(entry.message())) {
      batch.remove(new StoreBatch.Remove(storeKey.text(), entry.messageId(), props.failsafe()));
    }
  }

  /**
   * Takes a delivery accepted inside a transaction away from its consumer: it is neither pending
   * nor redelivered until the transaction ends. Returns false if it was not unsettled.
   */
  synchronized boolean holdForTransaction(QueueEntry entry) {
    if (!release(entry)) {
      return false;
    }
    entry.heldByTransaction(true);
    return true;
  }

  /** Completes an accepted entry whose removal was stored in a committed batch. */
  synchronized void commitAccepted(QueueEntry entry) {
    if (entry.heldByTransaction()) {
      entry.heldByTransaction(false);
      forget(entry);
    }
  }

  /** Returns an entry held by a rolled-back transaction; it counts as a failed delivery. */
  synchronized void rollbackAccepted(QueueEntry entry) {
    if (entry.heldByTransaction()) {
      entry.heldByTransaction(false);
      redeliverOrDeadLetter(entry);
      dispatch();
    }
  }

  private boolean release(QueueEntry entry) {
    QueueConsumer owner = entry.owner();
    if (owner == null || !owner.unsettled.remove(entry)) {
      return false;
    }
    entry.owner(null);
    return true;
  }

  private void settleLocked(QueueEntry entry, Outcome outcome) {
    QueueConsumer owner = entry.owner();
    if (owner == null) {
      return;
    }
    owner.unsettled.remove(entry);
    entry.owner(null);
    switch (outcome) {
      case RELEASED -> requeue(entry);
      case REJECTED -> deadLetter(entry, "rejected by consumer");
      default -> redeliverOrDeadLetter(entry);
    }
  }

  private void redeliverOrDeadLetter(QueueEntry entry) {
    entry.countDelivery();
    int max = props.maxRedelivery();
    int count = entry.deliveryCountUnlocked();
    if (max > 0 && count >= max) {
      deadLetter(entry, "delivered " + count + " times (maxRedelivery " + max + ")");
    } else {
      requeue(entry);
    }
  }

  private void deadLetter(QueueEntry entry, String reason) {
    forget(entry);
    context.deadLetters().deadLetter(entry, reason);
  }

  private void requeue(QueueEntry entry) {
    putPending(entry);
  }

  /** Adds an entry to the pending set; selectors that skipped past its place must see it. */
  private void putPending(QueueEntry entry) {
    long key = entry.orderKey();
    pending.put(key, entry);
    for (QueueConsumer c : consumers) {
      if (c.rejectedThrough >= key) {
        c.rejectedThrough = key - 1;
      }
    }
  }

  /** Removes an entry that was taken out of the queue; stores the removal if it was stored. */
  CompletableFuture<Void> removeDurably(QueueEntry entry) {
    synchronized (this) {
      forget(entry);
    }
    if (!persists(entry.message())) {
      return CompletableFuture.completedFuture(null);
    }
    StoreBatch batch =
        new StoreBatch.Builder()
            .remove(new StoreBatch.Remove(storeKey.text(), entry.messageId(), props.failsafe()))
            .build();
    return context.store().write(batch);
  }

  private void forget(QueueEntry entry) {
    messages--;
    bytes -= entry.message().size();
    dequeued++;
    context.memory().release(entry.message().size());
  }

  private void dispatch() {
    if (consumers.isEmpty()) {
      return;
    }
    long now = context.clock().wallMillis();
    dispatchBrowsers(now);
    if (!anyCredit()) {
      return;
    }
    Iterator<QueueEntry> it = pending.tailMap(scanStart(), true).values().iterator();
    while (it.hasNext()) {
      QueueEntry e = it.next();
      if (e.message().expired(now)) {
        it.remove();
        expire(e);
        continue;
      }
      QueueConsumer c = pickConsumer(e);
      if (c == null) {
        if (!anyCredit()) {
          return;
        }
        continue;
      }
      it.remove();
      e.owner(c);
      c.unsettled.add(e);
      c.credit--;
      c.dispatched();
      c.sink().dispatch(e, false);
    }
  }

  private void expire(QueueEntry e) {
    LOG.fine(() -> "message " + e.messageId() + " expired on " + name);
    removeDurably(e);
  }

  /**
   * Where a dispatch pass starts: after the entries that every consumer with credit already
   * rejected. Within a pass a consumer's credit only falls, so a consumer that rejects an entry has
   * seen (or seen taken) every pending entry between its mark and that one.
   */
  private long scanStart() {
    long start = Long.MAX_VALUE;
    for (QueueConsumer c : consumers) {
      if (!c.browser() && c.credit > 0) {
        start = Math.min(start, c.rejectedThrough + 1);
      }
    }
    return start;
  }

  private boolean anyCredit() {
    for (QueueConsumer c : consumers) {
      if (!c.browser() && c.credit > 0) {
        return true;
      }
    }
    return false;
  }

  private QueueConsumer pickConsumer(QueueEntry e) {
    int n = consumers.size();
    for (int i = 0; i < n; i++) {
      int index = (nextConsumer + i) % n;
      QueueConsumer c = consumers.get(index);
      if (c.browser() || c.credit <= 0 || e.orderKey() <= c.rejectedThrough) {
        continue;
      }
      if (c.accepts(e)) {
        nextConsumer = (index + 1) % n;
        return c;
      }
      if (c.hasSelector()) {
        c.rejectedThrough = e.orderKey();
      }
    }
    return null;
  }

  private void dispatchBrowsers(long now) {
    for (QueueConsumer c : consumers) {
      if (!c.browser() || c.credit <= 0) {
        continue;
      }
      for (QueueEntry e : pending.tailMap(c.browseCursor, false).values()) {
        if (c.credit <= 0) {
          break;
        }
        c.browseCursor = e.orderKey();
        if (!e.message().expired(now) && c.accepts(e)) {
          c.credit--;
          c.dispatched();
          c.sink().dispatch(e, true);
        }
      }
    }
  }

  /** Removes every pending message; returns how many were removed. */
  public int purge() {
    List<QueueEntry> removed;
    synchronized (this) {
      removed = new ArrayList<>(pending.values());
      pending.clear();
    }
    removed.forEach(this::removeDurably);
    return removed.size();
  }

  /** A snapshot of the queue's counters. */
  public synchronized QueueStats stats() {
    int unacked = consumers.stream().mapToInt(c -> c.unsettled.size()).sum();
    return new QueueStats(
        name, pending.size(), unacked, messages, bytes, consumerCount(), enqueued, dequeued);
  }

  /** Whether nothing is pending or unacknowledged. */
  synchronized boolean isEmpty() {
    return messages == 0;
  }

  /** Detaches all consumers and drops all entries (the queue is being deleted). */
  synchronized List<QueueEntry> drop() {
    List<QueueEntry> all = new ArrayList<>(pending.values());
    for (QueueConsumer c : consumers) {
      c.closed = true;
      all.addAll(c.unsettled);
      c.unsettled.clear();
    }
    consumers.clear();
    pending.clear();
    for (QueueEntry e : all) {
      forget(e);
    }
    return all;
  }
}
