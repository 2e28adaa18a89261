package io.tandem.broker.config;

import io.tandem.broker.BrokerException;
import io.tandem.process.ProcessException;
import java.util.function.Supplier;

/**
 * Where a configuration error of the shared reader ({@link io.tandem.process.config}) becomes the
 * broker's own: every public way into this package that reads a file or a value goes through here.
 */
final class ConfigErrors {
  private ConfigErrors() {}

  /** Runs {@code parse}; its CONFIG error is rethrown as a BrokerException with its message. */
  static <T> T asBroker(Supplier<T> parse) {
    try {
      return parse.get();
    } catch (ProcessException e) {
      throw new BrokerException(BrokerException.Category.CONFIG, e.getMessage(), e);
    }
  }
}
