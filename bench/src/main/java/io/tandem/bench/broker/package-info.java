/**
 * The brokers under test as child processes: Tandem started by {@code bin/tandem broker} and
 * Artemis by {@link io.tandem.bench.artemis.ArtemisMain}, each in its own JVM with the same JVM
 * options, on 127.0.0.1 ports of their own. Owns their configuration, readiness checks, resident
 * memory readings and stopping them by PID.
 */
package io.tandem.bench.broker;
