package io.tandem.process.log;

import java.util.logging.LogManager;

/**
 * A {@link LogManager} that keeps its handlers during JVM shutdown, so a daemon's own shutdown hook
 * can still log each step of a clean stop. {@link #resetFinally} releases them. A daemon names it
 * in {@code java.util.logging.manager} before anything logs ({@link
 * ProcessLogging#selectLogManager}).
 */
public final class ShutdownSafeLogManager extends LogManager {
  private static volatile ShutdownSafeLogManager instance;

  /** Created by the JDK when {@code java.util.logging.manager} names this class. */
  public ShutdownSafeLogManager() {
    instance = this;
  }

  @Override
  public void reset() {
    // The JDK calls reset() from its own shutdown hook; keep logging until the daemon is down.
  }

  /** Really resets (closes and flushes handlers); the last thing a stopping daemon does. */
  public static void resetFinally() {
    ShutdownSafeLogManager m = instance;
    if (m != null) {
      m.doReset();
    }
  }

  private void doReset() {
    super.reset();
  }
}
