package io.tandem.lock;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The lease both lock kinds hand out: a LeaseState machine plus listener delivery that
 * guarantees SUSPECT before LOST, each exactly once per listener, however threads race.
 */
final class TrackedLease implements Lease {

  // Gives the lock up; called once, by whichever thread ends the lease first.
  @FunctionalInterface
  interface Releaser {
    void release(TrackedLease lease);
  }

  private static final Logger LOG = LoggerFactory.getLogger(TrackedLease.class);

  private final long epoch;
  private final String lockName;
  private final Releaser releaser;
  private final BooleanSupplier connected;
  private final AtomicReference<Phase> phase =
      new AtomicReference<>(new Phase(LeaseState.VALID, "", ""));
  private final AtomicBoolean releasing = new AtomicBoolean();
  private final List<Registration> registrations = new CopyOnWriteArrayList<>();

  TrackedLease(long epoch, String lockName, Releaser releaser, BooleanSupplier connected) {
    this.epoch = epoch;
    this.lockName = Objects.requireNonNull(lockName, "lockName");
    this.releaser = Objects.requireNonNull(releaser, "releaser");
    this.connected = Objects.requireNonNull(connected, "connected");
  }

  @Override
  public long epoch() {
    return epoch;
  }

  @Override
  public boolean isValid() {
    return phase.get().state == LeaseState.VALID && connected.getAsBoolean();
  }

  @Override
  public void addListener(LeaseListener listener) {
    Registration registration = new Registration(Objects.requireNonNull(listener, "listener"));
    registrations.add(registration);
    registration.catchUp(phase.get());
  }

  @Override
  public void removeListener(LeaseListener listener) {
    registrations.removeIf(r -> r.listener == listener);
  }

  @Override
  public void close() {
    end("released by its holder");
  }

  LeaseState state() {
    return phase.get().state;
  }

  // VALID to SUSPECT; a no-op if the lease is already suspect or lost.
  void suspect(String reason) {
    moveTo(LeaseState.SUSPECT, reason);
  }

  /*
   * Ends the lease: SUSPECT (if still valid), release, LOST. Only the first caller releases; a
   * later or concurrent caller returns at once.
   */
  void end(String reason) {
    moveTo(LeaseState.SUSPECT, reason);
    if (!releasing.compareAndSet(false, true)) {
      return;
    }
    try {
      releaser.release(this);
    } finally {
      moveTo(LeaseState.LOST, reason);
    }
  }

  private void moveTo(LeaseState target, String reason) {
    Phase before;
    Phase after;
    do {
      before = phase.get();
      if (before.state.compareTo(target) >= 0) {
        return;
      }
      after = before.advance(target, reason);
    } while (!phase.compareAndSet(before, after));
    LOG.info("{}: lease epoch {} {} -> {} ({})", lockName, epoch, before.state, target, reason);
    for (Registration registration : registrations) {
      registration.catchUp(after);
    }
  }

  @Override
  public String toString() {
    return "lease epoch " + epoch + " on " + lockName + " (" + phase.get().state + ")";
  }

  // A state with the reason each event was given for, replaced whole on every transition.
  private record Phase(LeaseState state, String suspectReason, String lostReason) {
    Phase advance(LeaseState target, String reason) {
      String suspect = state == LeaseState.VALID ? reason : suspectReason;
      return new Phase(target, suspect, target == LeaseState.LOST ? reason : lostReason);
    }

    String reasonFor(LeaseState state) {
      return state == LeaseState.SUSPECT ? suspectReason : lostReason;
    }
  }

  // One listener and how far it has been told; catching up is serialised per listener.
  private final class Registration {
    private final LeaseListener listener;
    private LeaseState told = LeaseState.VALID;

    Registration(LeaseListener listener) {
      this.listener = listener;
    }

    synchronized void catchUp(Phase target) {
      while (told.compareTo(target.state) < 0) {
        told = LeaseState.values()[told.ordinal() + 1];
        deliver(told.event(), target.reasonFor(told));
      }
    }

    private void deliver(LeaseEvent event, String reason) {
      try {
        listener.onLeaseEvent(event, reason);
      } catch (RuntimeException e) {
        LOG.warn("{}: listener failed on {} of lease epoch {}", lockName, event, epoch, e);
      }
    }
  }
}
