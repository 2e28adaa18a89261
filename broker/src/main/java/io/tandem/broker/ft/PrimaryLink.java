package io.tandem.broker.ft;

import java.util.function.LongConsumer;

/**
 * A backup's link to the primary, as {@link PairMember} uses it: {@link BackupLink} over the peer
 * protocol in production, a scripted fake in unit tests.
 */
interface PrimaryLink extends AutoCloseable {

  /** How a session ended. {@code paired}: the primary had welcomed this backup. */
  record Outcome(boolean paired, String reason) {}

  /**
   * Connects, pairs and keeps the link until it ends; {@code onPaired} hears the primary's epoch
   * once the primary welcomed this backup.
   */
  Outcome session(LongConsumer onPaired);

  /** Whether a broker answers as primary at {@code ft_active} right now. */
  boolean peerServes();

  /** Ends a running session at once. */
  @Override
  void close();
}
