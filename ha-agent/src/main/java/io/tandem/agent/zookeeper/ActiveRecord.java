package io.tandem.agent.zookeeper;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/*
 * The content of <lock_path>/active-node: which node last went active, at which epoch, and
 * whether it recorded a clean stop. Lines of key=value, so operators can read it with zkCli.
 */
record ActiveRecord(String node, long epoch, boolean stopped) {

  byte[] encode() {
    return ("node="
            + node
            + "\nepoch="
            + epoch
            + "\nstate="
            + (stopped ? "stopped" : "active")
            + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  // Empty if the bytes are not a record (e.g. written by something else): never guessed.
  static Optional<ActiveRecord> decode(byte[] data) {
    if (data == null) {
      return Optional.empty();
    }
    Map<String, String> fields = new HashMap<>();
    for (String line : new String(data, StandardCharsets.UTF_8).split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        fields.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    try {
      String node = fields.get("node");
      String state = fields.get("state");
      if (node == null || state == null || !state.matches("active|stopped")) {
        return Optional.empty();
      }
      return Optional.of(
          new ActiveRecord(node, Long.parseLong(fields.get("epoch")), state.equals("stopped")));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
