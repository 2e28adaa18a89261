package io.tandem.broker.config;

import io.tandem.process.config.ConfigLine;

/** What a destination does when {@code maxbytes} or {@code maxmsgs} is reached (EMS names). */
public enum OverflowPolicy {
  /** Refuse the new message; the producer's send fails with a resource-limit error. */
  DEFAULT,
  /** Make room by discarding the oldest pending messages; sends never fail for space. */
  DISCARD_OLD,
  /**
   * Refuse the new message. On queues this is the same as {@link #DEFAULT}; on topics the send
   * fails when any subscription is full, where {@link #DEFAULT} skips only the full ones.
   */
  REJECT_INCOMING;

  static OverflowPolicy parse(String text, ConfigLine at) {
    return switch (text) {
      case "default" -> DEFAULT;
      case "discardOld" -> DISCARD_OLD;
      case "rejectIncoming" -> REJECT_INCOMING;
      default ->
          throw at.error(
              "overflowPolicy '" + text + "' is not one of default, discardOld, rejectIncoming");
    };
  }
}
