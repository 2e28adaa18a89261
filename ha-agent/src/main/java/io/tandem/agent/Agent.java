package io.tandem.agent;

import io.tandem.lock.Lease;
import io.tandem.process.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent's cycle: contend for the lock, serve each lease it gets (mount, fence, start, monitor,
 * stop, unmount), hold off after a release, until shut down. {@link #run} blocks the calling thread
 * for the agent's life; the other methods may be called from any thread.
 */
public final class Agent {
  private static final Logger LOG = Logger.getLogger(Agent.class.getName());

  // How long one wait for the lock lasts before it is renewed; aborts end it at once anyway.
  private static final Duration ACQUIRE_SLICE = Duration.ofSeconds(30);
  // Pause after ZooKeeper could not be reached before trying again.
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

  private enum Lifecycle {
    NEW,
    RUNNING,
    DONE
  }

  private final AgentPolicy policy;
  private final Election election;
  private final BrokerRunner broker;
  private final HostHooks hooks;
  private final Clock clock;
  private final AgentStateMachine machine;
  private final Inbox inbox;
  private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.NEW);

  /**
   * An agent that will run with these ports; nothing happens until {@link #run}. Every wait and
   * every reading of time goes through {@code clock}.
   */
  public Agent(
      AgentPolicy policy, Election election, BrokerRunner broker, HostHooks hooks, Clock clock) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.election = Objects.requireNonNull(election, "election");
    this.broker = Objects.requireNonNull(broker, "broker");
    this.hooks = Objects.requireNonNull(hooks, "hooks");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.machine = new AgentStateMachine(policy.node(), clock::wallTime);
    this.inbox = new Inbox(clock);
  }

  /** The agent's state machine, to read its status or listen to it. */
  public AgentStateMachine machine() {
    return machine;
  }

  /**
   * Runs the cycle until {@link #shutdown}; then the broker is stopped, the store unmounted and the
   * lock given up. Once only.
   *
   * @throws AgentException {@code CONFIG} if called twice
   */
  public void run() {
    if (!lifecycle.compareAndSet(Lifecycle.NEW, Lifecycle.RUNNING)) {
      throw new AgentException(AgentException.Category.CONFIG, "an agent runs only once");
    }
    String reason = "shut down";
    try {
      String orphan = broker.stopOrphan();
      if (!orphan.isEmpty()) {
        LOG.warning(orphan);
      }
      cycle();
      reason = inbox.shutdownReason().orElse(reason);
    } finally {
      broker.stopStandby();
      lifecycle.set(Lifecycle.DONE);
      machine.moveTo(AgentState.STOPPED, reason);
    }
  }

  /** Asks the cycle to stop the broker, unmount, give the lock up and return. */
  public void shutdown(String reason) {
    inbox.shutdown(reason);
    election.abort();
  }

  /**
   * Graceful switchover: stop the broker, unmount, give the lock up (if held) and stay out of the
   * election for {@code holdOff} (the configured hold-off if null).
   *
   * @return completes with a line for the operator once the lock is given up and the hold-off began
   */
  public CompletableFuture<String> release(Duration holdOff) {
    CompletableFuture<String> answer = new CompletableFuture<>();
    if (lifecycle.get() == Lifecycle.DONE) {
      answer.completeExceptionally(
          new AgentException(AgentException.Category.CONTROL, "the agent is shutting down"));
      return answer;
    }
    inbox.release(new Inbox.Release(holdOff == null ? policy.releaseHoldOff() : holdOff, answer));
    election.abort();
    return answer;
  }

  /** Ends a hold-off now, so the agent contends for the lock again. */
  public void resume() {
    inbox.holdOffUntil(Instant.MIN);
  }

  private void cycle() {
    while (inbox.shutdownReason().isEmpty()) {
      // Taken before the hold-off is read, so that a resume arriving meanwhile is not missed.
      long mark = inbox.mark();
      answerRelease(null);
      Instant holdOffEnd = inbox.holdOffUntil();
      if (clock.wallTime().isBefore(holdOffEnd)) {
        holdOff(holdOffEnd, mark);
        continue;
      }
      machine.setHoldOff(Optional.empty());
      if (machine.state() != AgentState.WAITING) {
        machine.moveTo(AgentState.WAITING, "contending for " + election.describe());
      }
      standBy();
      acquire().ifPresent(this::serve);
    }
  }

  private void holdOff(Instant end, long mark) {
    machine.setHoldOff(Optional.of(end));
    if (machine.state() != AgentState.HOLDING_OFF) {
      machine.moveTo(AgentState.HOLDING_OFF, "out of the election until " + end);
    }
    if (inbox.shutdownReason().isEmpty() && !inbox.releasePending()) {
      Duration left = Duration.between(clock.wallTime(), end);
      inbox.awaitAfter(mark, left.isNegative() ? Duration.ZERO : left);
    }
  }

  // A standby that cannot start is no reason to stay out of the election: the takeover starts cold.
  private void standBy() {
    try {
      broker.standBy();
    } catch (AgentException e) {
      LOG.warning("no warm standby: " + e.getMessage() + "; a takeover will start the broker cold");
    }
  }

  private Optional<Lease> acquire() {
    try {
      return election.await(ACQUIRE_SLICE);
    } catch (AgentException e) {
      LOG.warning("cannot contend for the lock: " + e.getMessage() + "; trying again");
      long mark = inbox.mark();
      if (inbox.shutdownReason().isEmpty() && !inbox.releasePending()) {
        inbox.awaitAfter(mark, RETRY_PAUSE);
      }
      return Optional.empty();
    }
  }

  private void serve(Lease lease) {
    inbox.clearSuspect();
    Tenure tenure = new Tenure(policy, election, broker, hooks, clock, machine, inbox, lease);
    Tenure.Ending ending;
    try {
      ending = tenure.serve();
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "unexpected failure while holding the lock", e);
      ending = Tenure.Ending.GIVE_UP;
    }
    if (ending == Tenure.Ending.GIVE_UP) {
      inbox.holdOffUntil(clock.wallTime().plus(policy.releaseHoldOff()));
    }
    answerRelease("released epoch " + lease.epoch());
  }

  /*
   * A pending release is answered once no lease is held: here, between leases. Its hold-off
   * starts now.
   */
  private void answerRelease(String what) {
    Optional<Inbox.Release> pending = inbox.takeRelease();
    if (pending.isEmpty()) {
      return;
    }
    Inbox.Release release = pending.get();
    Instant until = clock.wallTime().plus(release.holdOff());
    inbox.holdOffUntil(until);
    String done = what == null ? "not holding the lock" : what;
    release.answer().complete(done + "; out of the election until " + until);
  }
}
