package io.tandem.broker.destination;

import io.tandem.broker.message.Message;

/** A message's place in one queue, with the delivery state that queue keeps for it. */
public final class QueueEntry {
  private final Home home;
  private final Message message;
  private final long messageId;
  private final long seq;
  private int deliveryCount;
  private QueueConsumer owner;
  private boolean heldByTransaction;

  /**
   * Where entries find their queue: each queue's own, or one shared by the entries a following
   * backup built ({@link FollowedQueues}) until a queue adopts them all at once.
   */
  static final class Home {
    // written once, by the queue's constructor or under the adopting queue's lock
    private volatile MessageQueue queue;

    Home(MessageQueue queue) {
      this.queue = queue;
    }

    void adoptedBy(MessageQueue q) {
      queue = q;
    }
  }

  QueueEntry(Home home, Message message, long messageId, long seq, int deliveryCount) {
    this.home = home;
    this.message = message;
    this.messageId = messageId;
    this.seq = seq;
    this.deliveryCount = deliveryCount;
  }

  /** The queue this entry belongs to. */
  public MessageQueue queue() {
    return home.queue;
  }

  /** The message. */
  public Message message() {
    return message;
  }

  /** The broker-wide message id (the store's id). */
  public long messageId() {
    return messageId;
  }

  /** Deliveries made so far that were not simply released (the AMQP delivery-count). */
  public int deliveryCount() {
    synchronized (home.queue) {
      return deliveryCount;
    }
  }

  int deliveryCountUnlocked() {
    return deliveryCount;
  }

  long seq() {
    return seq;
  }

  long orderKey() {
    return orderKey(message.priority(), seq);
  }

  /** Higher priorities first, then the order of arrival. */
  static long orderKey(int priority, long seq) {
    return ((long) (9 - priority) << 56) | seq;
  }

  /** Sets the deliveries counted so far, for an entry a following backup built. */
  void deliveryCount(int deliveries) {
    deliveryCount = deliveries;
  }

  void countDelivery() {
    deliveryCount++;
  }

  QueueConsumer owner() {
    return owner;
  }

  void owner(QueueConsumer consumer) {
    owner = consumer;
  }

  boolean heldByTransaction() {
    return heldByTransaction;
  }

  void heldByTransaction(boolean held) {
    heldByTransaction = held;
  }
}
