package io.tandem.agent.failover;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/* Waits for conditions with a deadline instead of sleeping. */
final class Await {
  private Await() {}

  // Polls condition every 10 ms; fails naming what and where to look after timeout.
  static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      pause(10);
    }
  }

  // Checks that condition holds throughout period; fails at the first time it does not.
  static void during(String what, Duration period, BooleanSupplier condition) {
    long end = System.nanoTime() + period.toNanos();
    while (System.nanoTime() < end) {
      if (!condition.getAsBoolean()) {
        throw new AssertionError("no longer true: " + what);
      }
      pause(50);
    }
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
