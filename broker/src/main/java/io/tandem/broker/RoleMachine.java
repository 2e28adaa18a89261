package io.tandem.broker;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.logging.Logger;

/** Holds the broker's {@link Role} and performs every transition. */
public final class RoleMachine {
  private static final Logger LOG = Logger.getLogger(RoleMachine.class.getName());

  private Role role = Role.STARTING;
  private String reason = "starting";
  private Instant since = Instant.now();
  private final Map<Role, Long> entered = new EnumMap<>(Role.class);

  /** The current role. */
  public synchronized Role role() {
    return role;
  }

  /** Why the broker is in its current role. */
  public synchronized String reason() {
    return reason;
  }

  /** When the current role began. */
  public synchronized Instant since() {
    return since;
  }

  /** How often each role has been entered (for metrics). */
  public synchronized Map<Role, Long> entered() {
    return Map.copyOf(entered);
  }

  /**
   * Moves to {@code next}, logging {@code why}. Moves out of {@code STOPPED} are ignored, and out
   * of {@code FENCED} and {@code STALLED} only {@code STOPPED} is allowed: both end the process.
   */
  public synchronized boolean transition(Role next, String why) {
    boolean terminal = role == Role.FENCED || role == Role.STALLED;
    if (role == next || role == Role.STOPPED || (terminal && next != Role.STOPPED)) {
      return false;
    }
    LOG.info("role " + role.label() + " -> " + next.label() + ": " + why);
    role = next;
    reason = why;
    since = Instant.now();
    entered.merge(next, 1L, Long::sum);
    return true;
  }
}
