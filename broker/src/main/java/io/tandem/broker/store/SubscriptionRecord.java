package io.tandem.broker.store;

/**
 * A durable subscription as stored.
 *
 * @param key the store queue key of the subscription
 * @param clientId the JMS client id, or empty for a global shared subscription
 * @param name the subscription name
 * @param topic the topic name or wildcard pattern
 * @param selector the JMS selector, or {@code null}
 * @param noLocal whether messages published on the subscriber's own connection are skipped
 * @param shared whether several consumers may share it
 */
public record SubscriptionRecord(
    String key,
    String clientId,
    String name,
    String topic,
    String selector,
    boolean noLocal,
    boolean shared) {}
