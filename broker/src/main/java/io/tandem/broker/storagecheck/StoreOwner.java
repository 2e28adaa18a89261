package io.tandem.broker.storagecheck;

import io.tandem.broker.BrokerException;
import io.tandem.broker.store.MessageStore;
import io.tandem.broker.store.Recovered;
import io.tandem.broker.store.StoreOptions;
import io.tandem.broker.store.Stores;
import io.tandem.lock.FencedLock;
import io.tandem.lock.Lease;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.zip.CRC32C;

/**
 * A participant that owns the check's store the way a broker does: it holds the lock, takes the
 * epoch {@code max(lease epoch, fence + 1)}, raises the fence and recovers.
 */
final class StoreOwner implements AutoCloseable {
  private static final Duration ACQUIRE = Duration.ofSeconds(30);

  private final FencedLock lock;
  private final Lease lease;
  private final MessageStore store;
  private final long epoch;
  private final Recovered recovered;
  private final AtomicLong fencedAt;

  private StoreOwner(
      FencedLock lock,
      Lease lease,
      MessageStore store,
      long epoch,
      Recovered recovered,
      AtomicLong fencedAt) {
    this.lock = lock;
    this.lease = lease;
    this.store = store;
    this.epoch = epoch;
    this.recovered = recovered;
    this.fencedAt = fencedAt;
  }

  static StoreOwner take(Path storeDir, LockSimulation sim, String participant) {
    FencedLock lock = sim.open(storeDir, participant);
    try {
      Lease lease = lock.acquire(ACQUIRE);
      long epoch = Math.max(lease.epoch(), Stores.fence(storeDir) + 1);
      AtomicLong fencedAt = new AtomicLong();
      MessageStore store =
          Stores.open(
              StoreOptions.defaults(storeDir, epoch)
                  .withMinimumSize(StoreOptions.MIN_SEGMENT)
                  .withOnFenced((own, fence) -> fencedAt.set(fence)));
      return new StoreOwner(lock, lease, store, epoch, store.recover(), fencedAt);
    } catch (RuntimeException e) {
      try {
        lock.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  long epoch() {
    return epoch;
  }

  Recovered recovered() {
    return recovered;
  }

  MessageStore store() {
    return store;
  }

  /** The fence epoch this owner's store was told about when it was fenced, 0 if never. */
  long fencedAt() {
    return fencedAt.get();
  }

  /** Gives the lock up but keeps writing: what a holder cut off from the lock server does. */
  void loseLock() {
    lease.close();
  }

  @Override
  public void close() {
    RuntimeException failure = null;
    for (AutoCloseable c : List.<AutoCloseable>of(store, lease, lock)) {
      try {
        c.close();
      } catch (BrokerException | io.tandem.lock.LockException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** The recovered message ids, ascending, comma-separated. */
  static String ids(Recovered r) {
    return r.messages().stream()
        .map(Recovered.RecoveredMessage::messageId)
        .sorted()
        .map(String::valueOf)
        .collect(Collectors.joining(","));
  }

  /** A CRC32C over every recovered message's id, queues and bytes, in id order. */
  static String digest(Recovered r) {
    CRC32C crc = new CRC32C();
    r.messages().stream()
        .sorted(Comparator.comparingLong(Recovered.RecoveredMessage::messageId))
        .forEach(
            m -> {
              crc.update(Long.toString(m.messageId()).getBytes(StandardCharsets.US_ASCII));
              crc.update(String.join(",", m.queueKeys()).getBytes(StandardCharsets.UTF_8));
              crc.update(m.data());
            });
    return Long.toHexString(crc.getValue());
  }
}
