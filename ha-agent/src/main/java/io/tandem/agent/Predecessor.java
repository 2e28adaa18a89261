package io.tandem.agent;

import java.util.Objects;

/**
 * The agent that was active before this one and never recorded a clean stop: its broker may still
 * be running, so an operator's fence command is pointed at it.
 *
 * @param node its host's name
 * @param epoch the epoch it held
 */
public record Predecessor(String node, long epoch) {

  /** Validates the fields. */
  public Predecessor {
    Objects.requireNonNull(node, "node");
  }
}
