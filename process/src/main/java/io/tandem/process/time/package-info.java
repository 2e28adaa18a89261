/**
 * The one clock type: monotonic time for every timeout, heartbeat and deadline, wall time only for
 * what an operator reads (timestamps in logs, status and metrics). Production code takes a {@link
 * io.tandem.process.time.Clock} instead of calling {@code System.nanoTime()}, so that tests drive a
 * fake clock instead of sleeping.
 */
package io.tandem.process.time;
