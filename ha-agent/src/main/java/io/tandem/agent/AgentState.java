package io.tandem.agent;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where the agent is in its cycle. Only {@code ACTIVE} means "this host serves clients".
 *
 * <pre>
 * STOPPED (not yet run) -> WAITING | HOLDING_OFF
 * WAITING -> MOUNTING -> FENCING -> STARTING -> ACTIVE
 * WAITING <-> HOLDING_OFF (a release or a hold-off while contending; its end)
 * STARTING -> STARTING (local restart of a broker that did not start) | STOPPING | UNMOUNTING
 * ACTIVE -> STOPPING -> STARTING (local restart) | UNMOUNTING
 * MOUNTING/FENCING/STARTING/STOPPING -> UNMOUNTING -> WAITING | HOLDING_OFF
 * MOUNTING -> WAITING | HOLDING_OFF (the mount failed or was interrupted: nothing to unmount)
 * any -> STOPPED (agent shut down)
 * </pre>
 *
 * {@link #next()} is this diagram as a table, which {@link AgentStateMachine} enforces; a move to
 * the same state is allowed only where the table has it ({@code STARTING}: a restart; {@code
 * STOPPED}: an agent shut down before it ran).
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

  private static final Map<AgentState, Set<AgentState>> NEXT = table();

  private static Map<AgentState, Set<AgentState>> table() {
    Map<AgentState, Set<AgentState>> t = new EnumMap<>(AgentState.class);
    t.put(STOPPED, EnumSet.of(WAITING, HOLDING_OFF, STOPPED));
    t.put(WAITING, EnumSet.of(MOUNTING, HOLDING_OFF, STOPPED));
    t.put(HOLDING_OFF, EnumSet.of(WAITING, STOPPED));
    t.put(MOUNTING, EnumSet.of(FENCING, UNMOUNTING, WAITING, HOLDING_OFF, STOPPED));
    t.put(FENCING, EnumSet.of(STARTING, UNMOUNTING, STOPPED));
    t.put(STARTING, EnumSet.of(STARTING, ACTIVE, STOPPING, UNMOUNTING, STOPPED));
    t.put(ACTIVE, EnumSet.of(STOPPING, STOPPED));
    t.put(STOPPING, EnumSet.of(STARTING, UNMOUNTING, STOPPED));
    t.put(UNMOUNTING, EnumSet.of(WAITING, HOLDING_OFF, STOPPED));
    for (AgentState s : values()) {
      t.put(s, Collections.unmodifiableSet(t.get(s)));
    }
    return t;
  }

  /** The states this one may move to. */
  public Set<AgentState> next() {
    return NEXT.get(this);
  }

  /** Whether a move from this state to {@code state} is in the table. */
  public boolean mayMoveTo(AgentState state) {
    return NEXT.get(this).contains(state);
  }

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
