package io.tandem.broker.ft;

import java.time.Duration;

/**
 * When the peer was last heard from, against {@code ft_activation}. Time comes in as {@code
 * nowNanos} arguments so tests drive it without waiting.
 */
final class HeartbeatWatch {
  private final long activationNanos;
  private long lastNanos;

  HeartbeatWatch(Duration activation, long nowNanos) {
    this.activationNanos = activation.toNanos();
    this.lastNanos = nowNanos;
  }

  /** A heartbeat (or any line) arrived. */
  void heard(long nowNanos) {
    lastNanos = nowNanos;
  }

  /** How long the peer has been silent. */
  long silentMillis(long nowNanos) {
    return Math.max(0, (nowNanos - lastNanos) / 1_000_000);
  }

  /** Whether the silence reached {@code ft_activation}. */
  boolean expired(long nowNanos) {
    return nowNanos - lastNanos >= activationNanos;
  }
}
