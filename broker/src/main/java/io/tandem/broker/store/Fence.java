package io.tandem.broker.store;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import io.tandem.lock.LockException;
import io.tandem.lock.StoreFence;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The store's {@code fence} file, whose format the lock manager's {@link StoreFence} owns (ha-agent
 * raises it in its own process), in the store's terms: an unreadable file is an {@link IOException}
 * the committer treats like any other failed store read, a file that holds no epoch is {@code
 * STORE_CORRUPT}, a greater epoch is {@code FENCED}.
 */
final class Fence {
  static final String FILE = StoreFence.FILE;

  private Fence() {}

  /** The fenced epoch, 0 if the store was never fenced. */
  static long read(Path dir) throws IOException {
    try {
      return StoreFence.read(dir);
    } catch (LockException e) {
      if (e.category() == LockException.Category.IO && e.getCause() instanceof IOException io) {
        throw io;
      }
      throw translated(e);
    }
  }

  /**
   * Writes {@code epoch} durably, refusing if the fence already holds a greater one: an older epoch
   * must never take the store back.
   */
  static void raise(Path dir, long epoch) {
    try {
      StoreFence.raise(dir, epoch);
    } catch (LockException e) {
      throw translated(e);
    }
  }

  private static BrokerException translated(LockException e) {
    return switch (e.category()) {
      case FENCED -> new BrokerException(Category.FENCED, e.getMessage());
      case CORRUPT -> new BrokerException(Category.STORE_CORRUPT, e.getMessage());
      case IO ->
          e.getCause() instanceof IOException io
              ? StoreErrors.io(e.getMessage(), io)
              : new BrokerException(Category.STORE_IO, e.getMessage(), e);
      default -> new BrokerException(Category.STORE_IO, e.getMessage(), e);
    };
  }
}
