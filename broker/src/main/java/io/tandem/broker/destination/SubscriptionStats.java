package io.tandem.broker.destination;

/**
 * Counters of one topic subscription.
 *
 * @param key the subscription's key
 * @param topic its topic or pattern
 * @param name its name, or {@code null}
 * @param clientId its client id, possibly empty
 * @param durable whether it is durable
 * @param shared whether it is shared
 * @param queue its queue's counters
 */
public record SubscriptionStats(
    String key,
    String topic,
    String name,
    String clientId,
    boolean durable,
    boolean shared,
    QueueStats queue) {}
