package io.tandem.agent;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * The agent's state: the one place that performs a transition, logs it with its reason and
 * publishes the new {@link AgentStatus} to its listeners.
 */
public final class AgentStateMachine {
  private static final Logger LOG = Logger.getLogger(AgentStateMachine.class.getName());

  private final InstantSource clock;
  private final AtomicReference<AgentStatus> status;
  private final List<Consumer<AgentStatus>> listeners = new CopyOnWriteArrayList<>();

  /** A machine for {@code node}, in {@link AgentState#STOPPED} until its first transition. */
  public AgentStateMachine(String node, InstantSource clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.status = new AtomicReference<>(AgentStatus.initial(node, clock.instant()));
  }

  /** The current status. */
  public AgentStatus status() {
    return status.get();
  }

  /** The current state. */
  public AgentState state() {
    return status.get().state();
  }

  /** Registers a listener told of every change, on the thread that made it. */
  public void addListener(Consumer<AgentStatus> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Moves to {@code next} for {@code reason}: logged as {@code state A -> B: reason}. Only the
   * cycle thread moves the state, so the check and the move cannot race each other.
   *
   * @throws AgentException {@code STATE} if {@link AgentState#mayMoveTo the table} has no such
   *     move: a programming error
   */
  void moveTo(AgentState next, String reason) {
    Instant now = clock.instant();
    AgentState from = state();
    if (!from.mayMoveTo(next)) {
      throw new AgentException(
          AgentException.Category.STATE,
          "state " + from + " may not move to " + next + " (asked for: " + reason + ")");
    }
    AgentStatus before = status.getAndUpdate(s -> s.withState(next, reason, now));
    LOG.info("state " + before.state() + " -> " + next + ": " + reason);
    publish();
  }

  void setEpoch(long epoch) {
    update(s -> s.withEpoch(epoch));
  }

  void setBroker(long pid, int health) {
    update(s -> s.withBroker(pid, health));
  }

  void setRestarts(int restarts) {
    update(s -> s.withRestarts(restarts));
  }

  void setHoldOff(Optional<Instant> until) {
    update(s -> s.withHoldOff(until));
  }

  private void update(UnaryOperator<AgentStatus> change) {
    status.updateAndGet(change);
    publish();
  }

  private void publish() {
    AgentStatus now = status.get();
    for (Consumer<AgentStatus> listener : listeners) {
      listener.accept(now);
    }
  }
}
