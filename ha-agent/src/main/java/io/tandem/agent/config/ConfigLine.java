package io.tandem.agent.config;

import io.tandem.agent.AgentException;
import java.nio.file.Path;

/* One meaningful line of agent.conf, kept with its origin for error messages; line 0: a default. */
record ConfigLine(Path file, int number, String key, String value) {

  AgentException error(String reason) {
    return at(file, number, reason);
  }

  static AgentException at(Path file, int line, String reason) {
    String where = line > 0 ? file + ":" + line : file.toString();
    return new AgentException(AgentException.Category.CONFIG, where + ": " + reason);
  }
}
