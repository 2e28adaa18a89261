package io.tandem.agent;

import io.tandem.lock.Lease;
import io.tandem.lock.LeaseEvent;
import io.tandem.process.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/*
 * One lease from grant to release: mount, fence, start, monitor and restart the broker, then stop
 * it, unmount and give the lock up. Runs on the agent's cycle thread; only the lease listener runs
 * elsewhere, and all it does is SIGTERM the broker and post the suspicion.
 */
final class Tenure {
  private static final Logger LOG = Logger.getLogger(Tenure.class.getName());

  // How often a starting broker is probed until it first answers 200.
  private static final Duration START_PROBE = Duration.ofMillis(100);
  // How long a broker may take to die after SIGKILL before the agent reports it.
  private static final Duration KILL_WAIT = Duration.ofSeconds(10);
  // Broker exit statuses the agent acts on (see the broker's ExitCodes).
  private static final int EXIT_CONFIG = 2;
  private static final int EXIT_FENCED = 3;
  private static final int EXIT_STORE_STALLED = 9;

  // How a tenure ends: the agent returns to the election, or gives the lock up and holds off.
  enum Ending {
    RETURN,
    GIVE_UP
  }

  // Why a broker run ended: an interruption (lease, release, shutdown) or a failure.
  private record Stop(String reason, boolean failure, Ending ending) {
    static Stop interruption(String reason) {
      return new Stop(reason, false, Ending.RETURN);
    }

    static Stop failure(String reason) {
      return new Stop(reason, true, Ending.GIVE_UP);
    }

    static Stop giveUp(String reason) {
      return new Stop(reason, false, Ending.GIVE_UP);
    }
  }

  private final AgentPolicy policy;
  private final Election election;
  private final BrokerRunner runner;
  private final HostHooks hooks;
  private final Clock clock;
  private final AgentStateMachine machine;
  private final Inbox inbox;
  private final Lease lease;
  private final AtomicReference<RunningBroker> current = new AtomicReference<>();
  private boolean mounted;

  Tenure(
      AgentPolicy policy,
      Election election,
      BrokerRunner runner,
      HostHooks hooks,
      Clock clock,
      AgentStateMachine machine,
      Inbox inbox,
      Lease lease) {
    this.policy = policy;
    this.election = election;
    this.runner = runner;
    this.hooks = hooks;
    this.clock = clock;
    this.machine = machine;
    this.inbox = inbox;
    this.lease = lease;
  }

  Ending serve() {
    machine.setEpoch(lease.epoch());
    lease.addListener(this::onLeaseEvent);
    Stop stop = Stop.giveUp("ended before the broker started");
    try {
      stop = activate();
      return stop.ending();
    } finally {
      boolean clean = wind(stop.reason());
      if (clean) {
        election.recordStopped(lease.epoch());
      }
      lease.close();
      machine.setEpoch(0);
    }
  }

  /*
   * Runs on the lock's thread: the suspicion is posted first, so that the cycle thread, woken by
   * the broker's exit, never takes that exit for a crash; then the broker gets SIGTERM at once.
   */
  private void onLeaseEvent(LeaseEvent event, String reason) {
    inbox.suspect("lease epoch " + lease.epoch() + " " + event + ": " + reason);
    RunningBroker broker = current.get();
    if (event == LeaseEvent.SUSPECT && broker != null) {
      LOG.warning(
          "lease epoch "
              + lease.epoch()
              + " suspect ("
              + reason
              + "): SIGTERM to broker "
              + broker.pid());
      broker.terminate();
    }
  }

  private Stop activate() {
    machine.moveTo(AgentState.MOUNTING, "lock acquired with epoch " + lease.epoch());
    try {
      Optional<Predecessor> stale = election.recordActive(lease.epoch());
      if (stale.isPresent()) {
        LOG.warning(
            "node "
                + stale.get().node()
                + " was active at epoch "
                + stale.get().epoch()
                + " and never recorded a clean stop: running the fence command");
        hooks.fence(stale.get(), lease.epoch());
      }
      hooks.mount(lease.epoch());
      mounted = true;
      Optional<Stop> interrupted = interruption();
      if (interrupted.isPresent()) {
        return interrupted.get();
      }
      machine.moveTo(AgentState.FENCING, "store mounted");
      long epoch = runner.fence(lease.epoch());
      return supervise(epoch);
    } catch (AgentException e) {
      LOG.severe("cannot activate: " + e.getMessage());
      return Stop.giveUp(e.getMessage());
    }
  }

  // Starts the broker, restarting it locally while the restart budget lasts.
  private Stop supervise(long epoch) {
    RestartBudget budget =
        new RestartBudget(policy.maxRestarts(), policy.restartWindow(), clock::wallTime);
    String why = "store fence holds epoch " + epoch;
    while (true) {
      machine.moveTo(AgentState.STARTING, why);
      Stop stop = runOnce(epoch);
      if (!stop.failure()) {
        return stop;
      }
      Optional<Stop> interrupted = interruption();
      if (interrupted.isPresent()) {
        return interrupted.get();
      }
      if (!budget.tryRestart()) {
        return Stop.failure(
            stop.reason()
                + "; "
                + policy.maxRestarts()
                + " restarts within "
                + policy.restartWindow()
                + " used up, giving the lock up");
      }
      machine.setRestarts(budget.used());
      stopBroker(stop.reason());
      why = "restart " + budget.used() + " of " + policy.maxRestarts() + ": " + stop.reason();
    }
  }

  private Stop runOnce(long epoch) {
    Optional<Stop> interrupted = interruption();
    if (interrupted.isPresent()) {
      return interrupted.get();
    }
    RunningBroker broker;
    try {
      broker = runner.start(epoch);
    } catch (AgentException e) {
      return Stop.failure("broker did not start: " + e.getMessage());
    }
    current.set(broker);
    broker.onExit(inbox::wake);
    machine.setBroker(broker.pid(), 0);
    if (inbox.suspectReason().isPresent()) {
      broker.terminate();
    }
    return monitor(broker);
  }

  private Stop monitor(RunningBroker broker) {
    long started = clock.nanos();
    boolean healthy = false;
    int failures = 0;
    while (true) {
      long mark = inbox.mark();
      Optional<Stop> interrupted = interruption();
      if (interrupted.isPresent()) {
        return interrupted.get();
      }
      OptionalInt exit = broker.exitCode();
      if (exit.isPresent()) {
        return exited(broker, exit.getAsInt());
      }
      int code = runner.health();
      machine.setBroker(broker.pid(), code);
      if (code == 200) {
        failures = 0;
        if (!healthy) {
          healthy = true;
          long ms = (clock.nanos() - started) / 1_000_000L;
          machine.moveTo(
              AgentState.ACTIVE,
              "broker pid " + broker.pid() + " answers /health 200 after " + ms + " ms");
        }
      } else if (healthy) {
        failures++;
        LOG.warning(
            "broker /health answered "
                + code
                + " ("
                + failures
                + " of "
                + policy.monitorFailures()
                + " failures before a restart)");
        if (failures >= policy.monitorFailures()) {
          return Stop.failure(failures + " consecutive /health failures, last " + code);
        }
      } else if (clock.nanos() - started >= policy.startTimeout().toNanos()) {
        return Stop.failure("no /health 200 within start_timeout " + policy.startTimeout());
      }
      inbox.awaitAfter(mark, healthy ? policy.monitorInterval() : START_PROBE);
    }
  }

  private Stop exited(RunningBroker broker, int status) {
    String what = "broker pid " + broker.pid() + " exited with status " + status;
    return switch (status) {
      case EXIT_FENCED ->
          Stop.interruption(what + " (fenced: another node raised the store fence)");
      case EXIT_CONFIG -> Stop.giveUp(what + " (configuration error: a restart cannot help)");
      // a restart here would meet the same hung mount (even the fence step would hang): another
      // node may still reach the store, so give it the lock at once
      case EXIT_STORE_STALLED ->
          Stop.giveUp(what + " (store stalled: the store does not answer on this node)");
      default -> Stop.failure(what);
    };
  }

  // The first request that ends this tenure, in order of precedence.
  private Optional<Stop> interruption() {
    Optional<String> shutdown = inbox.shutdownReason();
    if (shutdown.isPresent()) {
      return Optional.of(Stop.interruption("agent shutting down: " + shutdown.get()));
    }
    Optional<String> suspect = inbox.suspectReason();
    if (suspect.isPresent()) {
      return Optional.of(Stop.interruption(suspect.get()));
    }
    if (inbox.releasePending()) {
      return Optional.of(Stop.giveUp("release requested"));
    }
    return Optional.empty();
  }

  // Stops the broker and unmounts; whether both happened cleanly.
  private boolean wind(String reason) {
    boolean clean = stopBroker(reason);
    if (!mounted) {
      return clean;
    }
    machine.moveTo(AgentState.UNMOUNTING, "broker stopped");
    try {
      hooks.unmount(lease.epoch());
      mounted = false;
      return clean;
    } catch (AgentException e) {
      LOG.severe(
          "unmount failed: "
              + e.getMessage()
              + "; not recording a clean stop, so the next node runs its fence command");
      return false;
    }
  }

  // SIGTERM, then SIGKILL after the stop timeout; whether the broker is gone.
  private boolean stopBroker(String reason) {
    RunningBroker broker = current.getAndSet(null);
    if (broker == null) {
      return true;
    }
    machine.moveTo(AgentState.STOPPING, reason);
    try {
      broker.terminate();
      if (!broker.awaitExit(policy.stopTimeout())) {
        LOG.warning(
            "broker pid "
                + broker.pid()
                + " still runs "
                + policy.stopTimeout()
                + " after SIGTERM: SIGKILL");
        broker.kill();
        if (!broker.awaitExit(KILL_WAIT)) {
          LOG.severe("broker pid " + broker.pid() + " survived SIGKILL");
          return false;
        }
      }
      LOG.info(
          "broker pid " + broker.pid() + " stopped with status " + broker.exitCode().orElse(-1));
      return true;
    } catch (AgentException e) {
      LOG.log(Level.SEVERE, "cannot stop broker pid " + broker.pid(), e);
      return false;
    } finally {
      machine.setBroker(0, 0);
    }
  }
}
