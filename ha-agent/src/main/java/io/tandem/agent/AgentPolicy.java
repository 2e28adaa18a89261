package io.tandem.agent;

import java.time.Duration;
import java.util.Objects;

/**
 * How the cycle paces itself and when it gives up; validated once, by the configuration loader.
 *
 * @param node this host's name
 * @param monitorInterval time between two {@code /health} probes of an active broker
 * @param monitorFailures consecutive failed probes before a local restart
 * @param maxRestarts local restarts within {@code restartWindow} before the lock is given up
 * @param restartWindow how long a restart counts against {@code maxRestarts}
 * @param startTimeout how long a started broker may take to answer {@code /health} 200
 * @param stopTimeout how long a broker may take to stop after SIGTERM before SIGKILL
 * @param releaseHoldOff how long the agent stays out of the election after giving the lock up
 */
public record AgentPolicy(
    String node,
    Duration monitorInterval,
    int monitorFailures,
    int maxRestarts,
    Duration restartWindow,
    Duration startTimeout,
    Duration stopTimeout,
    Duration releaseHoldOff) {

  /** Checks that nothing is missing; ranges are the configuration loader's business. */
  public AgentPolicy {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(monitorInterval, "monitorInterval");
    Objects.requireNonNull(restartWindow, "restartWindow");
    Objects.requireNonNull(startTimeout, "startTimeout");
    Objects.requireNonNull(stopTimeout, "stopTimeout");
    Objects.requireNonNull(releaseHoldOff, "releaseHoldOff");
  }
}
