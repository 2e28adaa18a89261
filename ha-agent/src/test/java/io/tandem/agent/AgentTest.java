package io.tandem.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.lock.FakeLease;
import io.tandem.testing.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/*
 * The cycle against hand-written fakes: no ZooKeeper, no processes. Every wait of the cycle runs on
 * a fake clock, which the test advances only while the cycle waits, one monitor interval at a time.
 */
class AgentTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration STEP = Duration.ofMillis(10);

  private final FakeClock clock = new FakeClock();
  private final FakeElection election = new FakeElection(clock);
  private final FakeBrokers brokers = new FakeBrokers(clock);
  private final RecordingHooks hooks = new RecordingHooks();
  private Agent agent;
  private Thread thread;

  private Agent start(int maxRestarts, Duration stopTimeout) {
    AgentPolicy policy =
        new AgentPolicy(
            "alpha",
            Duration.ofMillis(10),
            2,
            maxRestarts,
            Duration.ofMinutes(10),
            Duration.ofMillis(300),
            stopTimeout,
            Duration.ofMinutes(5));
    agent = new Agent(policy, election, brokers, hooks, clock);
    thread = new Thread(agent::run, "agent");
    thread.start();
    return agent;
  }

  private Agent start() {
    return start(2, Duration.ofSeconds(5));
  }

  @AfterEach
  void shutDown() throws InterruptedException {
    if (agent != null) {
      agent.shutdown("test over");
      thread.join(TimeUnit.SECONDS.toMillis(10));
      assertFalse(thread.isAlive(), "the agent's cycle ends on shutdown");
    }
  }

  private void awaitState(AgentState state) {
    await(
        "state " + state + ", now " + agent.machine().status(),
        () -> agent.machine().state() == state);
  }

  /*
   * Until the condition holds: waits (in real time, with a deadline) for the cycle to wait on the
   * clock, then lets the cycle's time pass by one step.
   */
  private void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        clock.awaitWaiting(1, WAIT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
      if (!condition.getAsBoolean()) {
        clock.advance(STEP);
      }
    }
  }

  @Test
  void shouldStartTheBrokerWithTheEpochTheFenceHolds() {
    brokers.fenceHolds = 9;
    start();
    election.offer(new FakeLease(4));
    awaitState(AgentState.ACTIVE);

    assertEquals(List.of(4L), brokers.fenced, "the lease's epoch is written to the fence");
    assertEquals(10, brokers.last().epoch, "a fence already past the lease is raised past that");
    assertEquals(List.of("mount 4"), hooks.calls);
    assertEquals(List.of("active 4"), election.records);
    assertEquals(4, agent.machine().status().epoch());
  }

  @Test
  void shouldStopTheBrokerAtOnceAndReturnToTheElectionWhenTheLeaseTurnsSuspect() {
    start();
    FakeLease lease = new FakeLease(1);
    election.offer(lease);
    awaitState(AgentState.ACTIVE);
    FakeBrokers.Broker broker = brokers.last();

    lease.suspect("ZooKeeper connection SUSPENDED");

    // ACTIVE can show a moment before the agent's lease handling is in place on a loaded host:
    // wait for the SIGTERM with a deadline instead of expecting it on this very instant
    await("SIGTERM from the listener", () -> broker.sigterms.get() >= 1);
    awaitState(AgentState.WAITING);
    assertFalse(broker.alive());
    assertTrue(lease.closed.get(), "the lock is given up");
    assertEquals(List.of("mount 1", "unmount 1"), hooks.calls);
    assertEquals(1, brokers.started.size(), "no restart under a suspect lease");
  }

  @Test
  void shouldRestartLocallyThenGiveTheLockUpWhenRestartsAreUsedUp() {
    start(2, Duration.ofSeconds(5));
    FakeLease lease = new FakeLease(3);
    election.offer(lease);
    awaitState(AgentState.ACTIVE);

    brokers.health = 503;
    awaitState(AgentState.HOLDING_OFF);

    assertEquals(3, brokers.started.size(), "the first start and two restarts");
    assertTrue(lease.closed.get());
    assertEquals(List.of("active 3", "stopped 3"), election.records);
    assertTrue(agent.machine().status().holdOffUntil().isPresent());
  }

  @Test
  void shouldRestartABrokerThatCrashedWithoutTouchingTheLease() {
    start();
    FakeLease lease = new FakeLease(1);
    election.offer(lease);
    awaitState(AgentState.ACTIVE);

    brokers.last().exit(137);
    await("a second broker", () -> brokers.started.size() == 2);
    awaitState(AgentState.ACTIVE);

    assertFalse(lease.closed.get());
    assertEquals(1, agent.machine().status().restarts());
    assertEquals(1, brokers.last().epoch, "same lease, same epoch");
  }

  @Test
  void shouldStepBackWithoutRestartingABrokerThatExitedFenced() {
    start();
    FakeLease lease = new FakeLease(1);
    election.offer(lease);
    awaitState(AgentState.ACTIVE);

    brokers.last().exit(3);
    awaitState(AgentState.WAITING);

    assertEquals(1, brokers.started.size());
    assertTrue(lease.closed.get());
  }

  @Test
  void shouldGiveTheLockUpWithoutRestartingABrokerWhoseStoreStalled() {
    start();
    FakeLease lease = new FakeLease(1);
    election.offer(lease);
    awaitState(AgentState.ACTIVE);

    brokers.last().exit(9);
    awaitState(AgentState.HOLDING_OFF);

    assertEquals(1, brokers.started.size(), "no local restart onto the same hung mount");
    assertTrue(lease.closed.get());
    assertTrue(agent.machine().status().holdOffUntil().isPresent());
  }

  @Test
  void shouldKillABrokerThatIgnoresSigtermAfterTheStopTimeout() {
    brokers.ignoreSigterm = true;
    start(2, Duration.ofMillis(200));
    FakeLease lease = new FakeLease(1);
    election.offer(lease);
    awaitState(AgentState.ACTIVE);

    lease.suspect("session expired");
    awaitState(AgentState.WAITING);

    assertEquals(1, brokers.last().sigkills.get());
  }

  @Test
  void shouldGiveTheLockUpAndHoldOffOnRelease() throws Exception {
    start();
    FakeLease lease = new FakeLease(5);
    election.offer(lease);
    awaitState(AgentState.ACTIVE);

    String answer = agent.release(Duration.ofMinutes(1)).get(10, TimeUnit.SECONDS);

    assertTrue(answer.startsWith("released epoch 5; out of the election until"), answer);
    awaitState(AgentState.HOLDING_OFF);
    assertTrue(lease.closed.get());
    assertFalse(brokers.last().alive());
    election.offer(new FakeLease(6));
    agent.resume();
    awaitState(AgentState.ACTIVE);
    assertEquals(6, agent.machine().status().epoch());
  }

  @Test
  void shouldRunTheFenceCommandAgainstAPredecessorThatNeverStoppedCleanly() {
    election.stale = new Predecessor("beta", 7);
    start();
    election.offer(new FakeLease(8));
    awaitState(AgentState.ACTIVE);

    assertEquals(List.of("fence beta 7 at 8", "mount 8"), hooks.calls);
  }

  @Test
  void shouldGiveTheLockUpWithoutStartingWhenTheMountFails() {
    hooks.failMount = true;
    start();
    FakeLease lease = new FakeLease(2);
    election.offer(lease);
    awaitState(AgentState.HOLDING_OFF);

    assertTrue(brokers.started.isEmpty());
    assertTrue(lease.closed.get());
    assertEquals(List.of("mount 2"), hooks.calls, "nothing was mounted, so nothing to unmount");
  }
}
