package io.tandem.broker.destination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Keys keep the text form the store has always held. */
class DestinationKeyTest {

  @Test
  void shouldRenderEachKeyAsTheStoreKeepsIt() {
    assertEquals("queue:orders", new DestinationKey.Queue("orders").text());
    assertEquals("topic:prices", new DestinationKey.Topic("prices").text());
    assertEquals("sub:c1:s1", new DestinationKey.Durable("c1", "s1").text());
    assertEquals("shared::s1", new DestinationKey.Shared("", "s1").text());
    assertEquals("nd:7", new DestinationKey.Unnamed(7).text());
  }

  @Test
  void shouldReadBackOnlyQueueKeysFromStoredText() {
    assertEquals(new DestinationKey.Queue("a:b"), DestinationKey.Queue.fromStored("queue:a:b"));
    assertNull(DestinationKey.Queue.fromStored("sub:c1:s1"));
  }

  @Test
  void shouldKeyNamedSubscriptionsByDurabilityAndClientId() {
    assertEquals(
        new DestinationKey.Durable("", "s"), DestinationKey.SubscriptionKey.named(true, null, "s"));
    assertEquals(
        new DestinationKey.Shared("c", "s"), DestinationKey.SubscriptionKey.named(false, "c", "s"));
  }

  @Test
  void shouldNumberTemporariesAndUnnamedSubscriptionsFromOneSequence() {
    IdSource ids = new IdSource();
    ids.continueAfter(41);
    assertEquals(42, ids.nextMessageId());
    assertEquals(1, ids.nextLocalId());
    assertEquals(2, ids.nextLocalId());
    assertEquals(43, ids.nextMessageId());
  }
}
