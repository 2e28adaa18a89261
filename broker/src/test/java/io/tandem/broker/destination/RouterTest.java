package io.tandem.broker.destination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import io.tandem.broker.store.StoreBatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouterTest {
  @TempDir Path dir;
  private Fixture f;
  private Router router;

  @BeforeEach
  void rules() {
    f =
        Fixture.withRules(
            dir,
            "orders  failsafe\nsmall  maxmsgs=1\nshort  expiration=10\n>\n",
            "prices\nstrict  maxmsgs=1,overflowPolicy=rejectIncoming\nloose  maxmsgs=1\n>\n");
    router = f.router();
  }

  private Subscription subscribe(
      String topic, String selector, boolean noLocal, ClientConnection c) {
    return f.subscriptions
        .subscribe(new SubscriptionRequest(topic, "c", null, selector, noLocal, false, false, c))
        .join();
  }

  @Test
  void shouldRouteAPersistentQueueMessageToOneStoredRecordWithItsDuplicateId() {
    f.ids.continueAfter(9);
    Route r = router.route(DestinationKind.QUEUE, "orders", Messages.withId("m-1"), null);
    assertEquals(10, r.messageId());
    assertEquals(List.of(f.registry.queue("orders")), r.targets());
    StoreBatch.Add add = r.add();
    assertEquals(List.of("queue:orders"), add.queueKeys());
    assertEquals("queue:orders", add.destination());
    assertEquals("m-1", add.producerMessageId());
    assertTrue(add.failsafe());
  }

  @Test
  void shouldNotStoreANonPersistentMessage() {
    Route r = router.route(DestinationKind.QUEUE, "orders", Messages.nonPersistent(), null);
    assertNull(r.add());
  }

  @Test
  void shouldRefuseAMessageForAFullQueue() {
    router.send(router.route(DestinationKind.QUEUE, "small", Messages.persistent(), null)).join();
    BrokerException e =
        assertThrows(
            BrokerException.class,
            () -> router.route(DestinationKind.QUEUE, "small", Messages.persistent(), null));
    assertEquals(Category.RESOURCE_LIMIT, e.category());
    assertTrue(e.getMessage().contains("queue 'small' is full (maxmsgs=1"), e.getMessage());
  }

  @Test
  void shouldSetTheDestinationsExpirationFromTheClocksWallTime() {
    f.clock.advance(Duration.ofSeconds(5));
    Route r = router.route(DestinationKind.QUEUE, "short", Messages.persistent(), null);
    long expected = Fixture.START.plusSeconds(15).toEpochMilli();
    assertEquals(expected, r.message().expiresAt());
    assertEquals(expected, r.add().expiresAt());
  }

  @Test
  void shouldNotUseALongMessageIdForDuplicateDetection() {
    String longId = "x".repeat(Destinations.MAX_DUP_ID_LENGTH + 1);
    Route r = router.route(DestinationKind.QUEUE, "orders", Messages.withId(longId), null);
    assertNull(r.add().producerMessageId());
  }

  @Test
  void shouldCopyATopicMessageToEveryMatchingSubscriptionButThePublishersNoLocalOnes() {
    ClientConnection publisher = new FakeConnection();
    Subscription all = subscribe("prices", null, false, new FakeConnection());
    Subscription red = subscribe("prices", "color = 'red'", false, new FakeConnection());
    Subscription own = subscribe("prices", null, true, publisher);
    Subscription other = subscribe("news", null, false, new FakeConnection());
    Route r =
        router.route(
            DestinationKind.TOPIC,
            "prices",
            Messages.withProperties(Map.of("color", "blue")),
            publisher);
    assertEquals(List.of(all.queue()), r.targets());
    assertNull(r.add(), "a non-durable subscription stores nothing");
    assertEquals(1, f.registry.publishCounts().get("prices"));
    assertTrue(red.queue().isEmpty() && own.queue().isEmpty() && other.queue().isEmpty());
  }

  @Test
  void shouldStoreATopicMessageOnceForEveryDurableSubscriptionUnderTheTopicsDuplicateScope() {
    f.subscriptions
        .subscribe(new SubscriptionRequest("prices", "c", "d1", null, false, true, false, null))
        .join();
    f.subscriptions
        .subscribe(new SubscriptionRequest("prices", "c", "d2", null, false, true, false, null))
        .join();
    Route r = router.route(DestinationKind.TOPIC, "prices", Messages.withId("m"), null);
    assertEquals(List.of("sub:c:d1", "sub:c:d2"), r.add().queueKeys().stream().sorted().toList());
    assertEquals("topic:prices", r.add().destination());
  }

  @Test
  void shouldSkipAFullSubscriptionUnlessTheTopicRejectsIncoming() {
    Subscription loose = subscribe("loose", null, false, null);
    router.send(router.route(DestinationKind.TOPIC, "loose", Messages.persistent(), null)).join();
    assertEquals(
        List.of(),
        router.route(DestinationKind.TOPIC, "loose", Messages.persistent(), null).targets());
    assertEquals(1, loose.queue().stats().messages());
    subscribe("strict", null, false, null);
    router.send(router.route(DestinationKind.TOPIC, "strict", Messages.persistent(), null)).join();
    BrokerException e =
        assertThrows(
            BrokerException.class,
            () -> router.route(DestinationKind.TOPIC, "strict", Messages.persistent(), null));
    assertEquals(Category.RESOURCE_LIMIT, e.category());
  }

  @Test
  void shouldRefusePublishingToAWildcard() {
    BrokerException e =
        assertThrows(
            BrokerException.class,
            () -> router.route(DestinationKind.TOPIC, "prices.>", Messages.persistent(), null));
    assertEquals(Category.INVALID_INPUT, e.category());
  }

  @Test
  void shouldMakeAStoredMessageVisibleOnlyOnceTheStoreHasIt() {
    MessageQueue q = f.registry.queue("orders");
    f.store.hold = true;
    CompletableFuture<Void> sent =
        router.send(router.route(DestinationKind.QUEUE, "orders", Messages.persistent(), null));
    assertTrue(q.isEmpty());
    assertTrue(f.memory.used() > 0, "held in memory until stored");
    f.store.held.get(0).complete(null);
    sent.join();
    assertEquals(1, q.stats().pending());
  }

  @Test
  void shouldAcknowledgeAResentDuplicateWithoutStoringOrDeliveringIt() {
    f.store.duplicates.add("queue:orders|m-1");
    router.send(router.route(DestinationKind.QUEUE, "orders", Messages.withId("m-1"), null)).join();
    assertTrue(f.store.written.isEmpty());
    assertTrue(f.registry.queue("orders").isEmpty());
  }
}
