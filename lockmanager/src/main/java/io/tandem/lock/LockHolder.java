package io.tandem.lock;

import java.time.Instant;
import java.util.Objects;

/**
 * Who took a lock: the process (host, pid and its start time, which tells a reused pid apart),
 * when, and with which epoch.
 */
public record LockHolder(
    String host, long pid, Instant processStart, Instant acquiredAt, long epoch) {

  /** Validates the fields. */
  public LockHolder {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(processStart, "processStart");
    Objects.requireNonNull(acquiredAt, "acquiredAt");
    if (host.isBlank() || host.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("host must be a non-blank single line: " + host);
    }
    if (pid <= 0 || epoch <= 0) {
      throw new IllegalArgumentException("pid and epoch must be positive: " + pid + ", " + epoch);
    }
  }

  /** One line for an operator, e.g. {@code pid 4242 on alpha (started ...), epoch 7 since ...}. */
  public String describe() {
    return "pid "
        + pid
        + " on "
        + host
        + " (process started "
        + processStart
        + "), epoch "
        + epoch
        + " since "
        + acquiredAt;
  }
}
