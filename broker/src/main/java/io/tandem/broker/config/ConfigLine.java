package io.tandem.broker.config;

import io.tandem.broker.BrokerException;
import java.nio.file.Path;

/** One meaningful line of a configuration file, kept with its origin for error messages. */
record ConfigLine(Path file, int number, String key, String value) {

  BrokerException error(String reason) {
    return ConfigErrors.at(file, number, reason);
  }
}
