package io.tandem.agent.broker;

import io.tandem.agent.AgentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;

/*
 * <run_dir>/broker.pid: "<pid> <start instant>". The start instant tells a reused pid apart, so a
 * restarted agent never signals a process that merely inherited its broker's pid.
 */
final class PidFile {
  private final Path file;

  PidFile(Path file) {
    this.file = file;
  }

  void write(ProcessHandle process) {
    String start = process.info().startInstant().map(Instant::toString).orElse("-");
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, process.pid() + " " + start + "\n", StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new AgentException(AgentException.Category.IO, "cannot write " + file, e);
    }
  }

  void delete() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new AgentException(AgentException.Category.IO, "cannot delete " + file, e);
    }
  }

  // Deletes the file only if it still names pid, so a late exit never forgets a newer broker.
  void deleteIfNames(long pid) {
    try {
      if (Files.exists(file)
          && Files.readString(file, StandardCharsets.US_ASCII).startsWith(pid + " ")) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new AgentException(AgentException.Category.IO, "cannot delete " + file, e);
    }
  }

  // The recorded process if it still runs with the recorded start time.
  Optional<ProcessHandle> live() {
    String[] fields;
    try {
      if (!Files.exists(file)) {
        return Optional.empty();
      }
      fields = Files.readString(file, StandardCharsets.US_ASCII).strip().split(" ");
    } catch (IOException e) {
      throw new AgentException(AgentException.Category.IO, "cannot read " + file, e);
    }
    if (fields.length != 2 || !fields[0].matches("\\d{1,10}")) {
      return Optional.empty();
    }
    return ProcessHandle.of(Long.parseLong(fields[0]))
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().startInstant().map(Instant::toString).orElse("-").equals(fields[1]));
  }
}
