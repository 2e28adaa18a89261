package io.tandem.agent.zookeeper;

import java.time.Duration;

/** Runs a task after a delay, so that tests can drive the grace with a hand-turned clock. */
public interface Timer {

  /** A scheduled task that can still be called off. */
  interface Scheduled {
    /** Calls the task off if it has not run yet; a no-op otherwise. */
    void cancel();
  }

  /** Runs {@code task} once after {@code delay}, on the timer's own thread. */
  Scheduled schedule(Runnable task, Duration delay);
}
