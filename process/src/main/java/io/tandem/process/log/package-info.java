/**
 * How every Tandem daemon logs: one pipeline (java.util.logging, with SLF4J routed into it), one
 * line format on stderr, the same quieting of ZooKeeper and Curator, per-package levels from the
 * configuration's {@code log_levels} key, and a log manager that keeps logging through a clean
 * stop.
 */
package io.tandem.process.log;
