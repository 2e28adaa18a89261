package io.tandem.lock;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The hot-warm FT lock: an OFD write lock on <store>/lock.
 *
 * F_OFD_SETLKW would wait in the kernel but cannot time out, and a thread blocked in it
 * cannot be woken; so a blocking acquire polls F_OFD_SETLK instead, backing off from 1 ms
 * to MAX_POLL_NANOS. A waiter therefore takes the lock at most that long after the holder
 * lets go or dies. The lease never becomes suspect on its own: the kernel keeps the lock until the
 * holder closes it or dies, even while the holder is stopped.
 */
final class FileFencedLock extends DeadlineLock {

  private static final Logger LOG = LoggerFactory.getLogger(FileFencedLock.class);

  static final long MIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final StoreFiles files;
  private final ProcessIdentity identity;
  private final Clock clock;
  private final LeaseSlot slot;

  FileFencedLock(StoreFiles files, ProcessIdentity identity, Clock clock) {
    super("file lock " + files.lock());
    this.files = files;
    this.identity = identity;
    this.clock = clock;
    this.slot = new LeaseSlot(name);
  }

  @Override
  public LockStatus status() {
    return FileLockInspector.inspect(files);
  }

  @Override
  public void close() {
    if (!slot.close()) {
      return;
    }
    TrackedLease lease = slot.current();
    if (lease != null) {
      lease.end("the lock was closed");
    }
  }

  @Override
  Optional<Lease> attempt(long deadline) {
    slot.beginAcquire();
    String outcome = "not acquired";
    try {
      files.requireStoreDirectory();
      if (files.protectLock(LibC.instance().geteuid())) {
        LOG.warn("{} could be opened by other users; narrowed it to mode 0600", files.lock());
      }
      OfdLockFile file = OfdLockFile.openForLocking(files.lock());
      try {
        if (!pollUntil(file, deadline)) {
          file.close();
          return Optional.empty();
        }
        Lease lease = grant(file);
        outcome = "acquired";
        return Optional.of(lease);
      } catch (RuntimeException e) {
        closeAfterFailure(file, e);
        throw e;
      }
    } finally {
      slot.abortAcquire(outcome);
    }
  }

  private boolean pollUntil(OfdLockFile file, long deadline) {
    long pause = MIN_POLL_NANOS;
    while (!file.tryLock()) {
      if (slot.isClosed()) {
        throw slot.closed();
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return false;
      }
      Deadlines.sleep(Math.min(pause, remaining), name);
      pause = Math.min(pause * 2, MAX_POLL_NANOS);
    }
    return true;
  }

  // Epoch first (durably), then the holder record, then the lease: in that order only.
  private Lease grant(OfdLockFile file) {
    long epoch = files.advanceEpoch();
    files.writeHolder(identity.holding(epoch, clock.instant()));
    TrackedLease lease = new TrackedLease(epoch, name, l -> release(file, l), () -> true);
    if (slot.hold(lease, () -> true) != LeaseSlot.Outcome.HELD) {
      throw slot.closed();
    }
    LOG.info("{}: acquired with epoch {}", name, epoch);
    return lease;
  }

  private void release(OfdLockFile file, TrackedLease lease) {
    try {
      file.close();
    } finally {
      slot.leaseEnded(lease);
    }
  }

  private static void closeAfterFailure(OfdLockFile file, RuntimeException failure) {
    try {
      file.close();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }
}
