package io.tandem.agent;

import java.util.List;

/** What a waiting agent keeps ready for a takeover ({@code standby} in agent.conf). */
public enum Standby {
  /** Nothing: the broker's JVM starts at the takeover. */
  COLD(List.of()),
  /** A broker JVM that has checked its configuration and waits, touching neither store nor port. */
  WARM(List.of("--standby")),
  /** The same, reading the store while it waits ({@code standby_reads_store}). */
  WARM_READING_STORE(List.of("--standby", "--follow-store"));

  private final List<String> brokerArguments;

  Standby(List<String> brokerArguments) {
    this.brokerArguments = brokerArguments;
  }

  /** The arguments that make {@code tandem broker} this kind of standby. */
  public List<String> brokerArguments() {
    return brokerArguments;
  }

  /** Whether a standby broker JVM is kept at all. */
  public boolean warm() {
    return this != COLD;
  }

  /** How agent.conf and the agent's log name it. */
  public String describe() {
    return switch (this) {
      case COLD -> "cold";
      case WARM -> "warm";
      case WARM_READING_STORE -> "warm, reading the store";
    };
  }
}
