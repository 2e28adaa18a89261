/**
 * The admin HTTP endpoint ({@code admin_listen}): {@code GET /health} for cluster managers and load
 * balancers, {@code GET /state} for operators, and the {@code /admin/} calls of the {@code tandem}
 * subcommands ({@link io.tandem.broker.admin.AdminActions}): listing connections, creating, purging
 * and deleting destinations, shutting down; the mutating ones only on a loopback-only endpoint.
 * Reads the broker through {@link io.tandem.broker.admin.BrokerView}.
 */
package io.tandem.broker.admin;
