package io.tandem.agent;

import io.tandem.lock.FakeLease;
import io.tandem.lock.Lease;
import io.tandem.process.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/*
 * Grants the leases the test offers, in order; records what the agent wrote about itself. Waits for
 * an offer through the test's clock, like every other wait of the agent's cycle.
 */
final class FakeElection implements Election {
  private static final Lease ABORT = new FakeLease(-1);

  private final Clock clock;
  private final Deque<Lease> offers = new ArrayDeque<>();
  final List<String> records = new CopyOnWriteArrayList<>();
  volatile Predecessor stale;

  FakeElection(Clock clock) {
    this.clock = clock;
  }

  void offer(FakeLease lease) {
    post(lease);
  }

  @Override
  public Optional<Lease> await(Duration timeout) {
    synchronized (offers) {
      try {
        clock.await(offers, () -> !offers.isEmpty(), clock.nanos() + timeout.toNanos());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
      Lease next = offers.pollFirst();
      return next == null || next == ABORT ? Optional.empty() : Optional.of(next);
    }
  }

  @Override
  public void abort() {
    post(ABORT);
  }

  private void post(Lease lease) {
    synchronized (offers) {
      offers.addLast(lease);
      offers.notifyAll();
    }
  }

  @Override
  public Optional<Predecessor> recordActive(long epoch) {
    records.add("active " + epoch);
    return Optional.ofNullable(stale);
  }

  @Override
  public void recordStopped(long epoch) {
    records.add("stopped " + epoch);
  }

  @Override
  public String describe() {
    return "fake lock";
  }

  @Override
  public void close() {}
}
