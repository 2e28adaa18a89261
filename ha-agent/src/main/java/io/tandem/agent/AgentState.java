package io.tandem.agent;

/**
 * Where the agent is in its cycle. Only {@code ACTIVE} means "this host serves clients".
 *
 * <pre>
 * WAITING -> MOUNTING -> FENCING -> STARTING -> ACTIVE
 * STARTING/ACTIVE -> STARTING (local restart) | STOPPING
 * MOUNTING/FENCING/STOPPING -> UNMOUNTING -> WAITING | HOLDING_OFF
 * HOLDING_OFF -> WAITING;   any -> STOPPED (agent shut down)
 * </pre>
 */
public enum AgentState {
  /** Contending for the lock; no broker runs here. */
  WAITING,
  /** Out of the election after a release or after giving up, until the hold-off ends. */
  HOLDING_OFF,
  /** Holds the lock; running the mount command (and the fence command for a stale holder). */
  MOUNTING,
  /** Holds the lock; writing its epoch to the store's fence. */
  FENCING,
  /** Holds the lock; the broker runs but has not answered {@code /health} 200 yet. */
  STARTING,
  /** Holds the lock; the broker answers {@code /health} 200 and is monitored. */
  ACTIVE,
  /** Stopping the broker: SIGTERM, then SIGKILL after the stop timeout. */
  STOPPING,
  /** Running the unmount command, then giving the lock up. */
  UNMOUNTING,
  /** The agent has shut down. */
  STOPPED;

  /** Whether the agent holds the lock in this state. */
  public boolean holdsLock() {
    return this == MOUNTING
        || this == FENCING
        || this == STARTING
        || this == ACTIVE
        || this == STOPPING
        || this == UNMOUNTING;
  }
}
