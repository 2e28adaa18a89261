package io.tandem.bench.scenario;

/**
 * A run's timeline in {@link System#nanoTime()}: warm-up from {@code start} to {@code measureFrom},
 * then the measured interval up to {@code end}.
 */
record Window(long start, long measureFrom, long end) {
  static Window from(Settings s) {
    long now = System.nanoTime();
    long from = now + s.warmup().toNanos();
    return new Window(now, from, from + s.measure().toNanos());
  }

  boolean measuring(long t) {
    return t >= measureFrom && t < end;
  }

  boolean running(long t) {
    return t < end;
  }

  double seconds() {
    return (end - measureFrom) / 1e9;
  }

  /** Sleeps until {@code t} (parkNanos: tens of microseconds late at most on Linux). */
  static void sleepUntil(long t) {
    long left;
    while ((left = t - System.nanoTime()) > 0) {
      java.util.concurrent.locks.LockSupport.parkNanos(left);
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
    }
  }
}
