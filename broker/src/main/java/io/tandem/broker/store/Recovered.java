package io.tandem.broker.store;

import java.util.List;

/**
 * The durable state read back at startup.
 *
 * @param messages live messages in arrival order, each with the queues still referencing it
 * @param subscriptions durable subscriptions
 * @param lastMessageId the highest message id ever stored, so new ids keep increasing
 * @param cleanShutdown whether the previous writer closed the store cleanly; after an unclean stop
 *     messages may have been delivered without the delivery being recorded
 * @param prebuilt the {@link StoreFollower.Mirror} a follower built of the live messages, which
 *     then holds them all and {@code messages} is empty; or null
 * @param liveMessages how many messages are live, listed or in {@code prebuilt}
 */
public record Recovered(
    List<RecoveredMessage> messages,
    List<SubscriptionRecord> subscriptions,
    long lastMessageId,
    boolean cleanShutdown,
    StoreFollower.Mirror prebuilt,
    long liveMessages) {

  /** The live messages listed, nothing prebuilt. */
  public Recovered(
      List<RecoveredMessage> messages,
      List<SubscriptionRecord> subscriptions,
      long lastMessageId,
      boolean cleanShutdown) {
    this(messages, subscriptions, lastMessageId, cleanShutdown, null, messages.size());
  }

  /**
   * Hands every message to {@code each} in order and lets go of it right after, so that the stored
   * encoding and the broker's own copy of a message are not both alive for the whole store at once.
   * Call it once; afterwards {@link #messages} holds nulls where it was mutable.
   */
  public void drainMessages(java.util.function.Consumer<RecoveredMessage> each) {
    boolean release = messages instanceof java.util.ArrayList;
    for (int i = 0; i < messages.size(); i++) {
      each.accept(messages.get(i));
      if (release) {
        messages.set(i, null);
      }
    }
  }

  /** Nothing stored. */
  public static Recovered empty() {
    return new Recovered(List.of(), List.of(), 0, true);
  }

  /**
   * A message still referenced by at least one queue.
   *
   * @param messageId its id
   * @param data the stored encoding
   * @param expiresAt epoch milliseconds, 0 for never
   * @param queueKeys the queues that still hold it
   * @param deliveryCount deliveries recorded before the restart
   * @param prepared what a follower's {@link StoreFollower.Preparer} made of {@code data} while it
   *     followed the store, or null (read the data then)
   */
  public record RecoveredMessage(
      long messageId,
      byte[] data,
      long expiresAt,
      List<String> queueKeys,
      int deliveryCount,
      Object prepared) {}
}
