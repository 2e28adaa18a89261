package io.tandem.broker.destination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import io.tandem.broker.config.DestinationProperties;
import io.tandem.broker.destination.SubscriptionReuse.Decision;
import io.tandem.broker.store.SubscriptionRecord;
import org.junit.jupiter.api.Test;

class SubscriptionReuseTest {
  private final Fixture f = Fixture.allowAll();

  private Subscription existing(boolean shared, String topic, String selector) {
    SubscriptionRecord r =
        new SubscriptionRecord("sub:c:s", "c", "s", topic, selector, false, shared);
    MessageQueue q = new MessageQueue("s", null, DestinationProperties.DEFAULTS, f.context);
    return new Subscription(new DestinationKey.Durable("c", "s"), r, null, q);
  }

  private static SubscriptionRequest request(boolean shared, String topic, String selector) {
    return new SubscriptionRequest(topic, "c", "s", selector, false, true, shared, null);
  }

  private static void assertRefused(String text, Runnable decide) {
    BrokerException e = assertThrows(BrokerException.class, decide::run);
    assertEquals(Category.ILLEGAL_STATE, e.category());
    assertTrue(e.getMessage().contains(text), e.getMessage());
  }

  @Test
  void shouldReuseASubscriptionAskedForWithTheSameDefinition() {
    assertEquals(
        Decision.REUSE,
        SubscriptionReuse.decide(existing(false, "t", "a = 1"), 0, request(false, "t", "a = 1")));
    assertEquals(
        Decision.REUSE,
        SubscriptionReuse.decide(existing(true, "t", null), 3, request(true, "t", null)));
  }

  @Test
  void shouldReplaceAnIdleSubscriptionWhoseTopicOrSelectorChanged() {
    assertEquals(
        Decision.REPLACE,
        SubscriptionReuse.decide(existing(false, "t", null), 0, request(false, "u", null)));
    assertEquals(
        Decision.REPLACE,
        SubscriptionReuse.decide(existing(true, "t", null), 0, request(true, "t", "a = 1")));
  }

  @Test
  void shouldRefuseASharedAndAnUnsharedSubscriptionStandingInForEachOther() {
    assertRefused(
        "exists as shared",
        () -> SubscriptionReuse.decide(existing(true, "t", null), 0, request(false, "t", null)));
    assertRefused(
        "exists as unshared",
        () -> SubscriptionReuse.decide(existing(false, "t", null), 0, request(true, "t", null)));
  }

  @Test
  void shouldRefuseASecondConsumerOfAnUnsharedSubscription() {
    assertRefused(
        "already has an active consumer",
        () -> SubscriptionReuse.decide(existing(false, "t", null), 1, request(false, "t", null)));
  }

  @Test
  void shouldRefuseChangingASharedSubscriptionInUse() {
    assertRefused(
        "in use with a different topic or selector",
        () -> SubscriptionReuse.decide(existing(true, "t", null), 1, request(true, "u", null)));
  }
}
