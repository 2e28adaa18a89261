package io.tandem.broker;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for conditions with a deadline instead of sleeping. */
public final class Conditions {
  private Conditions() {}

  /** Polls {@code condition} until it holds; fails with {@code what} after {@code timeout}. */
  public static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }
}
