/**
 * The admin HTTP endpoint ({@code admin_listen}): {@code GET /health} for cluster managers and load
 * balancers, {@code GET /state} for operators. Reads the broker through {@link
 * io.tandem.broker.admin.BrokerView}; never changes it.
 */
package io.tandem.broker.admin;
