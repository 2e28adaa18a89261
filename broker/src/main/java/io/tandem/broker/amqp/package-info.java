/**
 * The AMQP 1.0 front end: Netty carries bytes, a Proton-J engine per connection does the framing,
 * SASL and link bookkeeping, and the handlers here turn links into producers, consumers,
 * subscriptions and transactions on {@link io.tandem.broker.destination.Destinations}. Each
 * connection's Proton objects are touched only on that connection's event loop, and every reading
 * of time goes through the clock in {@link io.tandem.broker.amqp.AmqpServices}, so that tests drive
 * it.
 */
package io.tandem.broker.amqp;
