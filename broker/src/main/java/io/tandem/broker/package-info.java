/**
 * The broker process: {@link io.tandem.broker.Broker} wires configuration, store, destinations, the
 * AMQP server and the admin endpoint together and owns the broker's role state machine ({@link
 * io.tandem.broker.Role}). The {@code tandem} CLI starts it.
 */
package io.tandem.broker;
