package io.tandem.broker;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The broker's role. Exactly one place, {@link RoleMachine#transition}, changes it, logs the reason
 * and counts it. Only {@link #ACTIVE} serves clients and answers {@code /health} with 200.
 *
 * <pre>
 * STARTING ──► ACTIVE ──► STOPPING ──► STOPPED
 *    │            ▲
 *    ▼            │
 *  BACKUP ◄─► ACTIVATING                   (hot-warm FT; a re-pairing takes ACTIVATING back)
 *                 ACTIVE ──► FENCED ──► STOPPED (another broker raised the fence)
 *                 any role ──► STALLED ──► STOPPED (a store operation did not return within
 *                                                   store_io_timeout)
 *   STARTING, BACKUP, ACTIVATING ──► STOPPING | STOPPED (shut down before serving)
 * </pre>
 *
 * {@link #next()} is this diagram as a table; {@link RoleMachine} refuses any other move.
 */
public enum Role {
  /** Reading configuration and recovering the store; not serving. */
  STARTING,
  /** Hot-warm FT: the peer holds the store lock; waiting to take over. */
  BACKUP,
  /** Taking over: lock obtained, fence raised, store being recovered. */
  ACTIVATING,
  /** Serving clients (the primary of an FT pair, or the only broker). */
  ACTIVE,
  /** Another broker raised the store's fence; this one stopped writing and is exiting. */
  FENCED,
  /**
   * A store operation has not returned within {@code store_io_timeout}: client connections and
   * listeners are closed, and the process exits with {@code STORE_STALLED} when the operation
   * returns or {@code store_io_exit_grace} passes. Only {@code STOPPED} follows.
   */
  STALLED,
  /** Shutting down on request. */
  STOPPING,
  /** Stopped. */
  STOPPED;

  private static final Map<Role, Set<Role>> NEXT = table();

  private static Map<Role, Set<Role>> table() {
    Map<Role, Set<Role>> t = new EnumMap<>(Role.class);
    t.put(STARTING, EnumSet.of(ACTIVE, BACKUP, ACTIVATING, STALLED, STOPPING, STOPPED));
    t.put(BACKUP, EnumSet.of(ACTIVATING, STALLED, STOPPING, STOPPED));
    // back to BACKUP: the lock stayed taken and the backup paired with a primary again
    t.put(ACTIVATING, EnumSet.of(ACTIVE, BACKUP, STALLED, STOPPING, STOPPED));
    t.put(ACTIVE, EnumSet.of(FENCED, STALLED, STOPPING));
    t.put(FENCED, EnumSet.of(STOPPED));
    t.put(STALLED, EnumSet.of(STOPPED));
    // a store that stalls while it is closed still ends the process as stalled
    t.put(STOPPING, EnumSet.of(STALLED, STOPPED));
    t.put(STOPPED, EnumSet.noneOf(Role.class));
    return t;
  }

  /** The roles this one may move to. */
  public Set<Role> next() {
    return java.util.Collections.unmodifiableSet(NEXT.get(this));
  }

  /** Whether a move from this role to {@code role} is in the table. */
  public boolean mayMoveTo(Role role) {
    return NEXT.get(this).contains(role);
  }

  /**
   * Whether the process is on its way out in this role ({@code FENCED}, {@code STALLED}, {@code
   * STOPPING}, {@code STOPPED}): a move another thread started before it learnt so (an activation
   * finishing, a close) is then ignored rather than refused.
   */
  public boolean ending() {
    return this == FENCED || this == STALLED || this == STOPPING || this == STOPPED;
  }

  /** The lower-case name used in JSON, metrics and logs. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
