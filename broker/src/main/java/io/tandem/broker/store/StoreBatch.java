package io.tandem.broker.store;

import java.util.ArrayList;
import java.util.List;

/**
 * Changes applied atomically: messages added (each referenced by one or more store queues),
 * references removed (acknowledged), and metadata records.
 *
 * @param adds messages stored, with the queues that hold them
 * @param removes acknowledged references
 * @param subscriptions durable subscriptions created or replaced
 * @param deletedSubscriptions keys of durable subscriptions removed
 */
public record StoreBatch(
    List<Add> adds,
    List<Remove> removes,
    List<SubscriptionRecord> subscriptions,
    List<String> deletedSubscriptions) {

  /**
   * A stored message.
   *
   * @param messageId broker-wide unique id, increasing in arrival order
   * @param data the message as {@code MessageCodec.encodeForStore} encodes it
   * @param expiresAt epoch milliseconds, 0 for never
   * @param queueKeys the store queues holding a reference
   * @param failsafe flushed synchronously before the future completes
   * @param destination the destination the producer sent to ({@code queue:<name>} or {@code
   *     topic:<name>}), for duplicate detection; null for none
   * @param producerMessageId the producer's message id, for duplicate detection; null for none
   */
  public record Add(
      long messageId,
      byte[] data,
      long expiresAt,
      List<String> queueKeys,
      boolean failsafe,
      String destination,
      String producerMessageId) {

    /** A message without duplicate detection. */
    public Add(
        long messageId, byte[] data, long expiresAt, List<String> queueKeys, boolean failsafe) {
      this(messageId, data, expiresAt, queueKeys, failsafe, null, null);
    }
  }

  /**
   * An acknowledged reference.
   *
   * @param queueKey the store queue
   * @param messageId the message
   * @param failsafe the reference belongs to a failsafe destination
   */
  public record Remove(String queueKey, long messageId, boolean failsafe) {}

  /** Whether the batch must be flushed before its future completes. */
  public boolean synchronous() {
    return adds.stream().anyMatch(Add::failsafe)
        || removes.stream().anyMatch(Remove::failsafe)
        || !subscriptions.isEmpty()
        || !deletedSubscriptions.isEmpty();
  }

  /** Whether the batch changes nothing. */
  public boolean isEmpty() {
    return adds.isEmpty()
        && removes.isEmpty()
        && subscriptions.isEmpty()
        && deletedSubscriptions.isEmpty();
  }

  /** Collects changes for one batch. */
  public static final class Builder {
    private final List<Add> adds = new ArrayList<>();
    private final List<Remove> removes = new ArrayList<>();
    private final List<SubscriptionRecord> subscriptions = new ArrayList<>();
    private final List<String> deleted = new ArrayList<>();

    /** Adds a stored message. */
    public Builder add(Add add) {
      adds.add(add);
      return this;
    }

    /** Adds an acknowledged reference. */
    public Builder remove(Remove remove) {
      removes.add(remove);
      return this;
    }

    /** Records a durable subscription. */
    public Builder subscription(SubscriptionRecord record) {
      subscriptions.add(record);
      return this;
    }

    /** Records the removal of a durable subscription. */
    public Builder deleteSubscription(String key) {
      deleted.add(key);
      return this;
    }

    /** The batch collected so far. */
    public StoreBatch build() {
      return new StoreBatch(
          List.copyOf(adds),
          List.copyOf(removes),
          List.copyOf(subscriptions),
          List.copyOf(deleted));
    }
  }
}
