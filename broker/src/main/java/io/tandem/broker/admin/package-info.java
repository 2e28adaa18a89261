/**
 * The admin HTTP endpoint ({@code admin_listen}): {@code GET /health} for cluster managers and load
 * balancers, {@code GET /metrics}, {@code GET /state} for operators, and the {@code /admin/} calls
 * of the {@code tandem} subcommands ({@link io.tandem.broker.admin.AdminActions}): listing
 * connections, creating, purging and deleting destinations, shutting down. Every request passes the
 * Host check, the refusal of CORS preflights and the credential and ADMIN permission check ({@code
 * AdminGuard}, {@code AdminSecurity}, against {@link io.tandem.broker.security}); {@code /health}
 * is answered on the threads that read requests, everything else on its own threads. Reads the
 * broker through {@link io.tandem.broker.admin.BrokerView}.
 */
package io.tandem.broker.admin;
