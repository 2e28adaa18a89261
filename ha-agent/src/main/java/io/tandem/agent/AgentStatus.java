package io.tandem.agent;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the agent reports about itself: its state and why, and what it holds. Replaced whole on
 * every change, so a reader always sees one consistent picture.
 *
 * @param node this host's name
 * @param state where the agent is in its cycle
 * @param reason why it entered {@code state}
 * @param since when it entered {@code state}
 * @param transitions how many transitions it has made since it started
 * @param epoch the epoch of the lease it holds (0 when it holds none)
 * @param brokerPid the broker child's process id (0 when none runs)
 * @param brokerHealth the last {@code /health} status code (-1 unreachable, 0 not probed)
 * @param restarts local restarts of the broker within the restart window
 * @param holdOffUntil when a hold-off ends, if the agent is holding off
 */
public record AgentStatus(
    String node,
    AgentState state,
    String reason,
    Instant since,
    long transitions,
    long epoch,
    long brokerPid,
    int brokerHealth,
    int restarts,
    Optional<Instant> holdOffUntil) {

  /** Validates the fields. */
  public AgentStatus {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(holdOffUntil, "holdOffUntil");
  }

  /** The status of an agent that has not made its first transition yet. */
  public static AgentStatus initial(String node, Instant now) {
    return new AgentStatus(
        node, AgentState.STOPPED, "not started", now, 0, 0, 0, 0, 0, Optional.empty());
  }

  AgentStatus withState(AgentState next, String why, Instant now) {
    return new AgentStatus(
        node,
        next,
        why,
        now,
        transitions + 1,
        epoch,
        brokerPid,
        brokerHealth,
        restarts,
        holdOffUntil);
  }

  AgentStatus withEpoch(long value) {
    return new AgentStatus(
        node,
        state,
        reason,
        since,
        transitions,
        value,
        brokerPid,
        brokerHealth,
        restarts,
        holdOffUntil);
  }

  AgentStatus withBroker(long pid, int health) {
    return new AgentStatus(
        node, state, reason, since, transitions, epoch, pid, health, restarts, holdOffUntil);
  }

  AgentStatus withRestarts(int value) {
    return new AgentStatus(
        node,
        state,
        reason,
        since,
        transitions,
        epoch,
        brokerPid,
        brokerHealth,
        value,
        holdOffUntil);
  }

  AgentStatus withHoldOff(Optional<Instant> until) {
    return new AgentStatus(
        node, state, reason, since, transitions, epoch, brokerPid, brokerHealth, restarts, until);
  }

  /** {@code key: value} lines, as {@code ha-agent status} prints them. */
  public String describe() {
    return "node: "
        + node
        + "\nstate: "
        + state
        + "\nreason: "
        + reason
        + "\nsince: "
        + since
        + "\ntransitions: "
        + transitions
        + "\nepoch: "
        + epoch
        + "\nbroker_pid: "
        + brokerPid
        + "\nbroker_health: "
        + brokerHealth
        + "\nrestarts: "
        + restarts
        + "\nhold_off_until: "
        + holdOffUntil.map(Instant::toString).orElse("-");
  }
}
