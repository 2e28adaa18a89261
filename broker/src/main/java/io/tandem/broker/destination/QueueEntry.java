package io.tandem.broker.destination;

import io.tandem.broker.message.Message;

/** A message's place in one queue, with the delivery state that queue keeps for it. */
public final class QueueEntry {
  private final MessageQueue queue;
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
    return ((long) (9 - message.priority()) << 56) | seq;
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
