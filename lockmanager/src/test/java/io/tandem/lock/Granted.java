package io.tandem.lock;

import java.time.Duration;

// A lease and when acquire returned it (System.nanoTime).
record Granted(Lease lease, long atNanos) {

  static Granted by(FencedLock lock, Duration timeout) {
    Lease lease = lock.acquire(timeout);
    return new Granted(lease, System.nanoTime());
  }
}
