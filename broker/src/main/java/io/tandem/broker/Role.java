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
  /** Shutting down on request. */
  STOPPING,
  /** Stopped. */
  STOPPED;

  /** The lower-case name used in JSON, metrics and logs. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
