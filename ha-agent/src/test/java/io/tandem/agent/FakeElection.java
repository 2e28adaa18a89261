package io.tandem.agent;

import io.tandem.lock.Lease;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/* Grants the leases the test offers, in order; records what the agent wrote about itself. */
final class FakeElection implements Election {
  private static final Lease ABORT = new FakeLease(-1);

  private final LinkedBlockingQueue<Lease> offers = new LinkedBlockingQueue<>();
  final List<String> records = new CopyOnWriteArrayList<>();
  volatile Predecessor stale;

  void offer(FakeLease lease) {
    offers.add(lease);
  }

  @Override
  public Optional<Lease> await(Duration timeout) {
    try {
      Lease next = offers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return next == null || next == ABORT ? Optional.empty() : Optional.of(next);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  @Override
  public void abort() {
    offers.add(ABORT);
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
