package io.tandem.agent;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;

/*
 * Local restarts allowed within a sliding window: a broker that fails now and then is restarted
 * for ever, one that keeps failing makes the agent give the lock up. Not thread-safe: the agent's
 * cycle thread alone uses it.
 */
final class RestartBudget {
  private final int max;
  private final Duration window;
  private final InstantSource clock;
  private final Deque<Instant> restarts = new ArrayDeque<>();

  RestartBudget(int max, Duration window, InstantSource clock) {
    this.max = max;
    this.window = window;
    this.clock = clock;
  }

  // Counts a restart if the budget allows one; false if max restarts happened within the window.
  boolean tryRestart() {
    forgetOld();
    if (restarts.size() >= max) {
      return false;
    }
    restarts.addLast(clock.instant());
    return true;
  }

  int used() {
    forgetOld();
    return restarts.size();
  }

  private void forgetOld() {
    Instant horizon = clock.instant().minus(window);
    while (!restarts.isEmpty() && !restarts.peekFirst().isAfter(horizon)) {
      restarts.removeFirst();
    }
  }
}
