/**
 * The serving broker: {@link io.tandem.broker.server.Broker} wires configuration, store,
 * destinations, the AMQP listeners and the admin endpoint together, brings them up step by step and
 * takes them down, and moves the broker's role ({@link io.tandem.broker.Role}) as it does. A
 * standalone or HA broker is one of these; a hot-warm pair member ({@link io.tandem.broker.ft})
 * starts one when it activates.
 */
package io.tandem.broker.server;
