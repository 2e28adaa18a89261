/**
 * Queues, topics and subscriptions: where messages wait, in what order, for which consumer. A
 * {@link io.tandem.broker.destination.MessageQueue} serves both queues and topic subscriptions; it
 * hands deliveries to a {@link io.tandem.broker.destination.ConsumerSink} (the protocol layer) and
 * records every durable change through the {@link io.tandem.broker.store.MessageStore} before it
 * becomes visible. Nothing here knows about AMQP frames: the protocol layer identifies its
 * connections as {@link io.tandem.broker.destination.ClientConnection}s and calls {@link
 * io.tandem.broker.destination.Destinations}, the package's entry point, behind which one class
 * does each job: the registry of queues and topics, routing and ids, recovery, dead-lettering,
 * subscriptions and their reuse, temporary destinations, administration and stats. Keys are {@link
 * io.tandem.broker.destination.DestinationKey}s; their text is what the store keeps. Time (message
 * expiry, temporary names) is read from the injected {@link io.tandem.process.time.Clock}'s wall
 * time.
 *
 * <h2>Locking rule</h2>
 *
 * <p>Registries hold their entries in concurrent maps: a lookup, or a change that is one map
 * operation, takes no lock. Four kinds of monitor guard the rest, and a thread that holds one may
 * take only those after it in this order, never one before it:
 *
 * <ol>
 *   <li>the subscription registry's lock ({@code Subscriptions}): every check-then-change of the
 *       subscriptions (subscribe, reuse or replace, consumer gone, unsubscribe, deleting a topic
 *       that must have none);
 *   <li>the destination registry's monitor ({@code DestinationRegistry}): changes that touch both
 *       topic maps (an administrator creating or deleting a topic);
 *   <li>a {@link io.tandem.broker.destination.LocalTransaction}'s monitor: its sends and
 *       acknowledgements;
 *   <li>a {@link io.tandem.broker.destination.MessageQueue}'s monitor: that queue's entries,
 *       consumers and counters. At most two are held at once: a queue's, then the dead-letter
 *       queue's, when a message moved there is added while the source still dispatches. The
 *       dead-letter queue never moves a message to another queue, so the pair cannot reverse.
 * </ol>
 *
 * <p>Whoever holds any of these calls out only to what takes none of them: the sink (which must
 * just hand the delivery to its own thread), the lock-free memory budget (whose below-limit
 * listeners do the same) and the store's {@code write}, which returns a future at once. A store
 * completion may run on the thread that wrote, so completions take at most a queue's monitor. No
 * lock is held while waiting for the store.
 */
package io.tandem.broker.destination;
