package io.tandem.lock;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/*
 * A separate JVM for the multi-process file lock tests. hold STORE: acquire, print ACQUIRED
 * <epoch> <pid>, then keep the lease until standard input closes (the test ends it with a signal).
 * try STORE: one attempt, print ACQUIRED <epoch> or BUSY, exit.
 */
final class LockChild {

  private LockChild() {}

  public static void main(String[] args) throws IOException {
    Path store = Path.of(args[1]);
    try (FencedLock lock = FencedLocks.file(store)) {
      switch (args[0]) {
        case "hold" -> hold(lock);
        case "try" -> tryOnce(lock);
        default -> throw new IllegalArgumentException("unknown mode " + args[0]);
      }
    }
  }

  private static void hold(FencedLock lock) throws IOException {
    Lease lease = lock.acquire(Duration.ofSeconds(60));
    System.out.println("ACQUIRED " + lease.epoch() + " " + ProcessHandle.current().pid());
    System.out.flush();
    while (System.in.read() >= 0) {
      // keep holding until the parent goes away
    }
  }

  private static void tryOnce(FencedLock lock) {
    Optional<Lease> lease = lock.tryAcquire();
    System.out.println(lease.map(l -> "ACQUIRED " + l.epoch()).orElse("BUSY"));
    System.out.flush();
  }
}
