/**
 * What a process costs over an interval: its CPU time from {@code /proc/PID/stat} and, for a
 * HotSpot JVM, the bytes it allocated on its heap, read from the JVM's own performance counters
 * (the {@code hsperfdata} file {@code jstat} reads). Reads other processes from the outside only:
 * nothing is loaded into them and no option of theirs changes.
 */
package io.tandem.bench.cost;
