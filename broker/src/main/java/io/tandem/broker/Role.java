package io.tandem.broker;

/**
 * The broker's role. Exactly one place, {@link RoleMachine#transition}, changes it, logs the reason
 * and counts it. Only {@link #ACTIVE} serves clients and answers {@code /health} with 200.
 *
 * <pre>
 * STARTING ──► ACTIVE ──► STOPPING ──► STOPPED
 *    │            │
 *    ▼            ▼
 *  BACKUP ──► ACTIVATING ──► ACTIVE        (hot-warm FT)
 *                 any serving role ──► FENCED (another broker raised the fence)
 *                 any role ──► STALLED (a store operation did not return within store_io_timeout)
 * </pre>
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

  /** The lower-case name used in JSON, metrics and logs. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
