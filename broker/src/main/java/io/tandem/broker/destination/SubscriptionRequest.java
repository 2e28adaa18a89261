package io.tandem.broker.destination;

/**
 * What a consumer asks for when it subscribes to a topic.
 *
 * @param topic the topic name or wildcard pattern
 * @param clientId the connection's client id, or {@code null}
 * @param name the subscription name for durable or shared subscriptions, else {@code null}
 * @param selector the JMS selector, or {@code null}
 * @param noLocal skip messages published on the subscriber's own connection
 * @param durable whether it survives the consumer
 * @param shared whether several consumers may share it
 * @param connection the subscriber's connection
 */
public record SubscriptionRequest(
    String topic,
    String clientId,
    String name,
    String selector,
    boolean noLocal,
    boolean durable,
    boolean shared,
    ClientConnection connection) {}
