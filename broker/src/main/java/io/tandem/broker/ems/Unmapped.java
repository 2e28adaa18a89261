package io.tandem.broker.ems;

import java.nio.file.Path;

/** An EMS line, or part of one, that has no place in the Tandem configuration, and why. */
public record Unmapped(Path file, int line, String reason) {
  @Override
  public String toString() {
    return file + ":" + line + ": " + reason;
  }
}
