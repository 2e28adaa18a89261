package io.tandem.broker.store;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import java.io.IOException;
import java.util.Locale;

/**
 * Turns I/O failures into broker exceptions. Only a full disk that left the journals as they were
 * ({@link Segment.NothingWritten}) is {@code DISK_FULL}, which the store waits out; every other
 * failure, including a full disk reported by a flush (the kernel may have dropped the dirty pages
 * it could not write), is {@code STORE_IO}, which stops the store.
 */
final class StoreErrors {
  private StoreErrors() {}

  static BrokerException io(String what, IOException e) {
    if (e instanceof Segment.NothingWritten && isNoSpace(e)) {
      return new BrokerException(
          Category.DISK_FULL,
          what + ": disk full (" + e.getMessage() + "); writes resume when space returns",
          e);
    }
    return new BrokerException(Category.STORE_IO, what + ": " + describe(e), e);
  }

  private static String describe(IOException e) {
    return e instanceof Segment.NothingWritten && e.getCause() != null
        ? e.getCause().toString()
        : e.toString();
  }

  static boolean isNoSpace(IOException e) {
    String lower = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    return lower.contains("no space left") || lower.contains("disk quota");
  }

  /** Any failure as one that stops the store: a {@code BrokerException} keeps its message. */
  static BrokerException fatal(String what, Exception e) {
    if (e instanceof IOException io) {
      return new BrokerException(Category.STORE_IO, what + ": " + describe(io), e);
    }
    return new BrokerException(Category.STORE_IO, what + ": " + e.getMessage(), e);
  }

  /** A batch larger than recovery could read back; nothing of it was written. */
  static BrokerException tooLarge(long bytes) {
    return new BrokerException(
        Category.RESOURCE_LIMIT,
        "message or transaction of "
            + bytes
            + " bytes is larger than the store accepts in one batch ("
            + StoreOptions.MAX_BATCH_BYTES
            + " bytes); nothing was stored");
  }

  static BrokerException closed() {
    return new BrokerException(Category.STORE_CLOSED, "store is closed");
  }
}
