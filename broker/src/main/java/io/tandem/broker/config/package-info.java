/**
 * Loads and validates the broker's configuration: {@code tandem.conf} and the EMS-style {@code
 * queues.conf} / {@code topics.conf} destination files. Every error names the file, the line and
 * the reason; the result is an immutable {@link io.tandem.broker.config.BrokerConfig} that the rest
 * of the broker reads and never re-validates.
 */
package io.tandem.broker.config;
