package io.tandem.broker.destination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import io.tandem.broker.store.StoreBatch;
import io.tandem.broker.store.SubscriptionRecord;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SubscriptionsTest {
  private final Fixture f = Fixture.allowAll();
  private final Subscriptions subscriptions = f.subscriptions;

  private static SubscriptionRequest durable(String topic, String selector) {
    return new SubscriptionRequest(topic, "c1", "s1", selector, false, true, false, null);
  }

  private static SubscriptionRequest shared(String name) {
    return new SubscriptionRequest("prices", null, name, null, false, false, true, null);
  }

  private static QueueConsumer attach(Subscription s) {
    QueueConsumer c =
        new QueueConsumer(new MessageQueueTest.RecordingSink(), null, false, new FakeConnection());
    s.queue().addConsumer(c);
    return c;
  }

  @Test
  void shouldCompleteANewDurableSubscriptionOnlyOnceItIsStored() {
    f.store.hold = true;
    CompletableFuture<Subscription> made = subscriptions.subscribe(durable("prices", null));
    assertFalse(made.isDone());
    StoreBatch batch = f.store.last();
    assertEquals(
        List.of(new SubscriptionRecord("sub:c1:s1", "c1", "s1", "prices", null, false, false)),
        batch.subscriptions());
    f.store.held.get(0).complete(null);
    Subscription s = made.join();
    assertEquals(new DestinationKey.Durable("c1", "s1"), s.key());
    assertTrue(s.durable());
    assertEquals(s.key(), s.queue().storeKey(), "its messages are stored under its key");
  }

  @Test
  void shouldReuseADurableSubscriptionAskedForAgain() {
    Subscription first = subscriptions.subscribe(durable("prices", null)).join();
    int writes = f.store.written.size();
    assertSame(first, subscriptions.subscribe(durable("prices", null)).join());
    assertEquals(writes, f.store.written.size(), "nothing new to store");
    assertSame(first, subscriptions.durable("c1", "s1").orElseThrow());
  }

  @Test
  void shouldReplaceAnIdleDurableSubscriptionWhoseSelectorChangedInOneBatch() {
    Subscription first = subscriptions.subscribe(durable("prices", null)).join();
    first.queue().enqueue(Messages.persistent(), 1, 0);
    Subscription second = subscriptions.subscribe(durable("prices", "a = 1")).join();
    assertNotSame(first, second);
    StoreBatch batch = f.store.last();
    assertEquals(List.of("sub:c1:s1"), batch.deletedSubscriptions());
    assertEquals("a = 1", batch.subscriptions().get(0).selector());
    assertTrue(first.queue().isEmpty(), "the old subscription's messages are dropped");
  }

  @Test
  void shouldEndAnUnnamedSubscriptionWithItsConsumer() {
    Subscription s =
        subscriptions
            .subscribe(
                new SubscriptionRequest("prices", "c1", null, null, false, false, false, null))
            .join();
    assertEquals(new DestinationKey.Unnamed(1), s.key());
    QueueConsumer c = attach(s);
    s.queue().removeConsumer(c, false);
    subscriptions.consumerGone(s);
    assertTrue(subscriptions.all().isEmpty());
    assertTrue(f.store.written.isEmpty(), "a non-durable subscription is never stored");
  }

  @Test
  void shouldKeepASharedSubscriptionUntilItsLastConsumerIsGone() {
    Subscription s = subscriptions.subscribe(shared("s")).join();
    assertEquals(new DestinationKey.Shared("", "s"), s.key());
    QueueConsumer a = attach(s);
    QueueConsumer b = attach(subscriptions.subscribe(shared("s")).join());
    s.queue().removeConsumer(a, false);
    subscriptions.consumerGone(s);
    assertEquals(1, subscriptions.all().size());
    s.queue().removeConsumer(b, false);
    subscriptions.consumerGone(s);
    assertTrue(subscriptions.all().isEmpty());
  }

  @Test
  void shouldKeepADurableSubscriptionWhenItsConsumerGoes() {
    Subscription s = subscriptions.subscribe(durable("prices", null)).join();
    s.queue().removeConsumer(attach(s), false);
    subscriptions.consumerGone(s);
    assertTrue(subscriptions.durable("c1", "s1").isPresent());
  }

  @Test
  void shouldUnsubscribeAnIdleDurableSubscriptionDurably() {
    Subscription s = subscriptions.subscribe(durable("prices", null)).join();
    QueueConsumer c = attach(s);
    BrokerException busy =
        assertThrows(BrokerException.class, () -> subscriptions.unsubscribe("c1", "s1"));
    assertEquals(Category.ILLEGAL_STATE, busy.category());
    s.queue().removeConsumer(c, false);
    subscriptions.unsubscribe("c1", "s1").join();
    assertEquals(List.of("sub:c1:s1"), f.store.last().deletedSubscriptions());
    assertTrue(subscriptions.durable("c1", "s1").isEmpty());
    BrokerException gone =
        assertThrows(BrokerException.class, () -> subscriptions.unsubscribe("c1", "s1"));
    assertEquals(Category.NOT_FOUND, gone.category());
  }

  @Test
  void shouldRunATopicDeletionOnlyWhenNoSubscriptionListensToIt() {
    subscriptions.subscribe(durable("prices", null)).join();
    boolean[] ran = new boolean[1];
    BrokerException e =
        assertThrows(
            BrokerException.class, () -> subscriptions.whenNoneOn("prices", () -> ran[0] = true));
    assertTrue(e.getMessage().contains("has 1 subscriptions"), e.getMessage());
    subscriptions.whenNoneOn("news", () -> ran[0] = true);
    assertTrue(ran[0]);
  }

  @Test
  void shouldRestoreAStoredSubscriptionUnderItsKey() {
    Subscription s =
        subscriptions.restore(
            new SubscriptionRecord("sub:c1:s1", "c1", "s1", "prices", "a = 1", true, false));
    assertSame(s, subscriptions.durable("c1", "s1").orElseThrow());
    assertTrue(s.durable() && s.noLocal());
    assertEquals("a = 1", s.selectorText());
  }
}
