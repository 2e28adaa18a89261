package io.tandem.bench.cost;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Reads {@link HeapSample}s from a JVM's perf data, waiting out a collection in progress. */
final class HeapProbe {
  private static final String YOUNG = "sun.gc.collector.0.";
  private static final String FULL = "sun.gc.collector.1.";
  private static final String EDEN = "sun.gc.generation.0.space.0.";
  private static final long RETRY_NS = TimeUnit.MICROSECONDS.toNanos(200);
  private static final long GIVE_UP_NS = TimeUnit.SECONDS.toNanos(30);

  private final PerfData counters;

  private HeapProbe(PerfData counters) {
    this.counters = counters;
  }

  /** A probe of the JVM with this PID, if it has the counters of a generational collector. */
  static Optional<HeapProbe> of(long pid) {
    return PerfData.ofProcess(pid).flatMap(HeapProbe::on);
  }

  static Optional<HeapProbe> on(PerfData counters) {
    for (String name :
        new String[] {
          YOUNG + "invocations", EDEN + "used", EDEN + "capacity", YOUNG + "lastExitTime"
        }) {
      if (counters.get(name).isEmpty()) {
        return Optional.empty();
      }
    }
    return Optional.of(new HeapProbe(counters));
  }

  /**
   * A reading taken outside any collection: a collection counts itself when it starts and updates
   * eden's occupancy when it ends, so a reading in between would pair the new count with the old
   * occupancy. After {@value #GIVE_UP_NS} ns of collections the last reading is returned as it is.
   */
  HeapSample sample() {
    long deadline = System.nanoTime() + GIVE_UP_NS;
    while (true) {
      long young = counters.get(YOUNG + "invocations", 0);
      long full = counters.get(FULL + "invocations", 0);
      boolean collecting = collecting(YOUNG) || collecting(FULL);
      HeapSample s =
          new HeapSample(
              young, full, counters.get(EDEN + "used", 0), counters.get(EDEN + "capacity", 0));
      boolean unchanged =
          young == counters.get(YOUNG + "invocations", 0)
              && full == counters.get(FULL + "invocations", 0);
      if ((unchanged && !collecting) || System.nanoTime() > deadline) {
        return s;
      }
      LockSupport.parkNanos(RETRY_NS);
    }
  }

  private boolean collecting(String collector) {
    return counters.get(collector + "lastEntryTime", 0)
        > counters.get(collector + "lastExitTime", 0);
  }
}
