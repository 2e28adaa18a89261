package io.tandem.broker.destination;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;

/**
 * Whether a consumer asking for a named subscription that exists may use it, must get a new one in
 * its place (the old one's messages are dropped), or is refused. JMS decides: a shared and an
 * unshared subscription never stand in for each other, an unshared one serves one consumer at a
 * time, and a changed topic or selector replaces the subscription only while nobody uses it.
 */
final class SubscriptionReuse {
  /** What to do with the existing subscription. */
  enum Decision {
    /** Attach the consumer to it. */
    REUSE,
    /** Drop it and create the requested one under the same key. */
    REPLACE
  }

  private SubscriptionReuse() {}

  /**
   * Decides for {@code existing}, which has {@code activeConsumers} consumers attached.
   *
   * @throws BrokerException {@code ILLEGAL_STATE} when the request may neither use nor replace it
   */
  static Decision decide(Subscription existing, int activeConsumers, SubscriptionRequest req) {
    if (existing.shared() != req.shared()) {
      throw new BrokerException(
          Category.ILLEGAL_STATE,
          "subscription '"
              + req.name()
              + "' exists as "
              + (existing.shared() ? "shared" : "unshared"));
    }
    if (!existing.shared() && activeConsumers > 0) {
      throw new BrokerException(
          Category.ILLEGAL_STATE,
          "durable subscription '" + req.name() + "' already has an active consumer");
    }
    if (existing.sameDefinition(req.topic(), req.selector(), req.noLocal())) {
      return Decision.REUSE;
    }
    if (activeConsumers > 0) {
      throw new BrokerException(
          Category.ILLEGAL_STATE,
          "subscription '" + req.name() + "' is in use with a different topic or selector");
    }
    return Decision.REPLACE;
  }
}
