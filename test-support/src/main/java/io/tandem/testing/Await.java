package io.tandem.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition, never for a fixed time: every wait has a deadline and says what it waited
 * for when the deadline passes, so a test holds on a loaded machine and fails with a reason.
 */
public final class Await {
  private static final Duration POLL = Duration.ofMillis(10);
  private static final Duration DURING_POLL = Duration.ofMillis(50);

  private Await() {}

  /**
   * Polls {@code condition} every 10 ms until it holds.
   *
   * @throws AssertionError naming {@code what} once {@code timeout} passed, or when interrupted
   */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    until(() -> what, timeout, POLL, condition);
  }

  /**
   * As {@link #until(String, Duration, BooleanSupplier)}, the description computed only on failure
   * (for one that reads logs or state at that moment).
   */
  public static void until(Supplier<String> what, Duration timeout, BooleanSupplier condition) {
    until(what, timeout, POLL, condition);
  }

  /** Polls every {@code poll}, for a condition that is costly to evaluate (runs a command). */
  public static void until(
      String what, Duration timeout, Duration poll, BooleanSupplier condition) {
    until(() -> what, timeout, poll, condition);
  }

  /** Polls every {@code poll}; the description computed only on failure. */
  public static void until(
      Supplier<String> what, Duration timeout, Duration poll, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what.get());
      }
      pause(poll);
    }
  }

  /**
   * Checks that {@code condition} holds throughout {@code period}, every 50 ms.
   *
   * @throws AssertionError naming {@code what} the first time it does not hold
   */
  public static void during(String what, Duration period, BooleanSupplier condition) {
    long end = System.nanoTime() + period.toNanos();
    while (System.nanoTime() - end < 0) {
      if (!condition.getAsBoolean()) {
        throw new AssertionError("no longer true: " + what);
      }
      pause(DURING_POLL);
    }
  }

  /**
   * Sleeps {@code time}: for pacing a load or a poll, never to wait for something to happen.
   *
   * @throws AssertionError when interrupted (the interrupt flag is set again)
   */
  public static void pause(Duration time) {
    try {
      Thread.sleep(Math.max(1, time.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
