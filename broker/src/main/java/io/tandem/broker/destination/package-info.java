/**
 * Queues, topics and subscriptions: where messages wait, in what order, for which consumer. A
 * {@link io.tandem.broker.destination.MessageQueue} serves both queues and topic subscriptions; it
 * hands deliveries to a {@link io.tandem.broker.destination.ConsumerSink} (the protocol layer) and
 * records every durable change through the {@link io.tandem.broker.store.MessageStore} before it
 * becomes visible. Nothing here knows about AMQP frames.
 */
package io.tandem.broker.destination;
