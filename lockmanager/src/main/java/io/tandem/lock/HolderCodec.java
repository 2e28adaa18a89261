package io.tandem.lock;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/*
 * The holder record as text, the same in <store>/lock.holder and in the holder
 * znode: key=value lines, readable with cat or zkCli.sh get.
 */
final class HolderCodec {

  // Holder records are a few hundred bytes; anything bigger is not one.
  static final int MAX_BYTES = 4096;

  private static final Set<String> KEYS =
      Set.of("host", "pid", "processStart", "acquiredAt", "epoch");

  private HolderCodec() {}

  static byte[] encode(LockHolder holder) {
    String text =
        "host="
            + holder.host()
            + "\npid="
            + holder.pid()
            + "\nprocessStart="
            + holder.processStart()
            + "\nacquiredAt="
            + holder.acquiredAt()
            + "\nepoch="
            + holder.epoch()
            + "\n";
    return text.getBytes(StandardCharsets.UTF_8);
  }

  // The record, or empty if the bytes are not a complete, well-formed one.
  static Optional<LockHolder> decode(byte[] bytes) {
    if (bytes == null || bytes.length == 0 || bytes.length > MAX_BYTES) {
      return Optional.empty();
    }
    Map<String, String> fields = new HashMap<>();
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        fields.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    if (!fields.keySet().containsAll(KEYS)) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new LockHolder(
              fields.get("host"),
              Long.parseLong(fields.get("pid")),
              Instant.parse(fields.get("processStart")),
              Instant.parse(fields.get("acquiredAt")),
              Long.parseLong(fields.get("epoch"))));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
