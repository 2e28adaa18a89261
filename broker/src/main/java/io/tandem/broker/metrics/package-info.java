/**
 * Prometheus metrics for {@code GET /metrics}: the role and epoch, the hot-warm pair's peer link
 * and activations, store sizes, flush latency and group-commit sizes, per-destination traffic and
 * backlog, connections, memory and the JVM. Built on Micrometer's Prometheus registry; reads the
 * broker through {@link io.tandem.broker.admin.BrokerView} and hears the store's group commits.
 */
package io.tandem.broker.metrics;
