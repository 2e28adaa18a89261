package io.tandem.broker.store;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import java.io.IOException;
import java.util.Locale;

/** Turns I/O failures into broker exceptions, telling a full disk from other failures. */
final class StoreErrors {
  private StoreErrors() {}

  static BrokerException io(String what, IOException e) {
    String detail = String.valueOf(e.getMessage());
    String lower = detail.toLowerCase(Locale.ROOT);
    if (lower.contains("no space left") || lower.contains("disk quota")) {
      return new BrokerException(
          Category.DISK_FULL,
          what + ": disk full (" + detail + "); writes resume when space returns",
          e);
    }
    return new BrokerException(Category.STORE_IO, what + ": " + e, e);
  }

  static BrokerException closed() {
    return new BrokerException(Category.STORE_CLOSED, "store is closed");
  }
}
