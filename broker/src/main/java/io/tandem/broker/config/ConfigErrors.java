package io.tandem.broker.config;

import io.tandem.broker.BrokerException;
import java.nio.file.Path;

/** Builds configuration errors that name file, line and reason. */
final class ConfigErrors {
  private ConfigErrors() {}

  static BrokerException at(Path file, int line, String reason) {
    String where = line > 0 ? file + ":" + line : file.toString();
    return new BrokerException(BrokerException.Category.CONFIG, where + ": " + reason);
  }
}
