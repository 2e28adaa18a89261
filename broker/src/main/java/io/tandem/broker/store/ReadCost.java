package io.tandem.broker.store;

/** What reading and checking a store's segments cost a recovery, for the line it logs. */
final class ReadCost {
  private final long started = System.nanoTime();
  private long nanos;
  private long reads;
  private long bytes;

  /** One segment read from {@code since} (a {@link System#nanoTime}), {@code length} bytes. */
  void read(long since, long length) {
    nanos += System.nanoTime() - since;
    reads++;
    bytes += length;
  }

  /** Where the time since this was made went: reading and checking, or the rest. */
  String describe() {
    long all = System.nanoTime() - started;
    return reads
        + " segment reads, "
        + bytes / (1024 * 1024)
        + " MB read and checked in "
        + nanos / 1_000_000
        + " ms; records applied to the index in the other "
        + (all - nanos) / 1_000_000
        + " ms";
  }
}
