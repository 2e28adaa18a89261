package io.tandem.broker.config;

import java.time.Duration;

/**
 * The properties of one destination, merged from every matching line of {@code queues.conf} or
 * {@code topics.conf}. Zero means "no limit" for the numeric limits.
 *
 * @param failsafe persistent messages are flushed to disk before the producer is told
 * @param maxBytes limit on pending message bytes (per subscription on topics), 0 = none
 * @param maxMsgs limit on pending messages (per subscription on topics), 0 = none
 * @param overflowPolicy what happens at the limit
 * @param maxRedelivery deliveries before a message moves to {@code $sys.undelivered}, 0 = none
 * @param expiration overrides the messages' own time-to-live when non-zero
 * @param secure with {@code authorization = enabled}, only users granted a permission in acl.conf
 *     may use the destination for it
 */
public record DestinationProperties(
    boolean failsafe,
    long maxBytes,
    long maxMsgs,
    OverflowPolicy overflowPolicy,
    int maxRedelivery,
    Duration expiration,
    boolean secure) {

  /** Properties of a destination no line configures. */
  public static final DestinationProperties DEFAULTS =
      new DestinationProperties(false, 0, 0, OverflowPolicy.DEFAULT, 0, Duration.ZERO, false);

  /** Combines {@code this} with a more specific line's settings ({@code override} wins). */
  DestinationProperties merge(PropertySettings override) {
    return new DestinationProperties(
        override.failsafe() != null ? override.failsafe() : failsafe,
        override.maxBytes() != null ? override.maxBytes() : maxBytes,
        override.maxMsgs() != null ? override.maxMsgs() : maxMsgs,
        override.overflowPolicy() != null ? override.overflowPolicy() : overflowPolicy,
        override.maxRedelivery() != null ? override.maxRedelivery() : maxRedelivery,
        override.expiration() != null ? override.expiration() : expiration,
        override.secure() != null ? override.secure() : secure);
  }
}
