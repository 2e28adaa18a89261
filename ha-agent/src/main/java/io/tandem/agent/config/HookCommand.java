package io.tandem.agent.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * An operator's shell command and how long it may run.
 *
 * @param command run with {@code /bin/sh -c}; empty if not configured
 * @param timeout after which it is killed and counted as failed
 */
public record HookCommand(Optional<String> command, Duration timeout) {

  /** Validates the fields. */
  public HookCommand {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(timeout, "timeout");
  }
}
