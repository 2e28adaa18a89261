package io.tandem.broker.destination;

import io.tandem.broker.message.Message;

/** A message's place in one queue, with the delivery state that queue keeps for it. */
public final class QueueEntry {
  // set once: at creation, or when a queue adopts what a backup built while it followed the store
  private MessageQueue queue;
  private final Message message;
  private final long messageId;
  private final long seq;
  private int deliveryCount;
  private QueueConsumer owner;
  private boolean heldByTransaction;

  QueueEntry(MessageQueue queue, Message message, long messageId, long seq, int deliveryCount) {
    this.queue = queue;
    this.message = message;
    this.messageId = messageId;
    this.seq = seq;
    this.deliveryCount = deliveryCount;
  }

  /** The queue this entry belongs to. */
  public MessageQueue queue() {
    return queue;
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
    synchronized (queue) {
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

  /** Joins {@code q}, for an entry a following backup built without a queue. */
  void adoptedBy(MessageQueue q, int deliveries) {
    queue = q;
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
