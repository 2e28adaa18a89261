package io.tandem.bench.broker;

import java.nio.file.Path;

/**
 * What to start: a broker of {@code kind} with its files under {@code dir}, its store in {@code
 * store} (shared by both members of a fault-tolerant pair), listening on {@code amqpPort}; {@code
 * peerAmqpPort} is the other member's port in a pair and 0 otherwise.
 */
public record Launch(
    BrokerKind kind, Path dir, Path store, int amqpPort, PairRole role, int peerAmqpPort) {

  /** A broker's place in a fault-tolerant pair. */
  public enum PairRole {
    /** Not in a pair. */
    SINGLE,
    /** Started first; expected to serve. */
    PRIMARY,
    /** Started second; expected to stand by. */
    BACKUP
  }

  /** A standalone broker with its store under {@code dir}. */
  public static Launch single(BrokerKind kind, Path dir, int amqpPort) {
    return new Launch(kind, dir, dir.resolve("store"), amqpPort, PairRole.SINGLE, 0);
  }
}
