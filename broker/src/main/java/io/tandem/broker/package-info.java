/**
 * The types every package of the broker shares, and nothing that uses those packages: the one
 * exception type ({@link io.tandem.broker.BrokerException} and its categories), the broker's role
 * and the state machine that moves it ({@link io.tandem.broker.Role}, {@link
 * io.tandem.broker.RoleMachine}), and {@link io.tandem.broker.BackgroundValue}. The serving broker
 * itself is {@link io.tandem.broker.server.Broker}; docs/architecture.md shows the packages' order.
 */
package io.tandem.broker;
