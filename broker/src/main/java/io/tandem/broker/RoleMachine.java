package io.tandem.broker;

import io.tandem.process.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;

/** Holds the broker's {@link Role} and performs every transition. */
public final class RoleMachine {
  private static final Logger LOG = Logger.getLogger(RoleMachine.class.getName());

  private final Clock clock;
  private Role role = Role.STARTING;
  private String reason = "starting";
  private Instant since;
  private final Map<Role, Long> entered = new EnumMap<>(Role.class);

  /** A machine in {@link Role#STARTING} on the system clock. */
  public RoleMachine() {
    this(Clock.system());
  }

  /** A machine in {@link Role#STARTING} that stamps its moves with {@code clock}'s wall time. */
  public RoleMachine(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.since = clock.wallTime();
  }

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
   * Moves to {@code next}, logging {@code why}, if {@link Role#mayMoveTo the table} allows it. Two
   * moves are ignored (false): to the current role (a backup pairing again stays a backup, an
   * activation that began in the backup loop is not begun twice), and any move out of an {@link
   * Role#ending() ending} role that the table does not allow, since the thread asking for it (an
   * activation, a close) learns only afterwards that the process is on its way out.
   *
   * @return whether the role changed
   * @throws BrokerException {@code ILLEGAL_STATE} for any other move: a programming error
   */
  public synchronized boolean transition(Role next, String why) {
    if (role == next) {
      return false;
    }
    if (!role.mayMoveTo(next)) {
      if (role.ending()) {
        return false;
      }
      throw new BrokerException(
          BrokerException.Category.ILLEGAL_STATE,
          "role "
              + role.label()
              + " may not move to "
              + next.label()
              + " (asked for: "
              + why
              + ")");
    }
    LOG.info("role " + role.label() + " -> " + next.label() + ": " + why);
    role = next;
    reason = why;
    since = clock.wallTime();
    entered.merge(next, 1L, Long::sum);
    return true;
  }
}
