package io.tandem.broker.destination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.message.Message;
import io.tandem.broker.message.MessageCodec;
import io.tandem.broker.store.Recovered;
import io.tandem.broker.store.Recovered.RecoveredMessage;
import io.tandem.broker.store.SubscriptionRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreRecoveryTest {
  @TempDir Path dir;

  private static RecoveredMessage stored(long id, int deliveries, String... queueKeys) {
    byte[] data = MessageCodec.encodeForStore(Messages.persistent());
    return new RecoveredMessage(id, data, 0, List.of(queueKeys), deliveries, null);
  }

  private static Recovered recovered(
      List<RecoveredMessage> messages, List<SubscriptionRecord> subscriptions, long lastId) {
    return new Recovered(new ArrayList<>(messages), subscriptions, lastId, true);
  }

  @Test
  void shouldCreateTheDeadLetterQueueAndTheStaticDestinations() {
    Fixture f = Fixture.withRules(dir, "orders\napp.>\n", "prices\nnews.>\n");
    f.recovery().recover(Recovered.empty());
    assertEquals(
        List.of(Destinations.UNDELIVERED, "orders"),
        List.copyOf(f.registry.queuesByName().keySet()));
    assertEquals(List.of("prices"), List.copyOf(f.registry.publishCounts().keySet()));
  }

  @Test
  void shouldContinueMessageIdsAfterTheLastStoredOne() {
    Fixture f = Fixture.allowAll();
    f.recovery().recover(recovered(List.of(), List.of(), 41));
    assertEquals(42, f.ids.nextMessageId());
  }

  @Test
  void shouldPutEveryStoredMessageIntoEachQueueAndSubscriptionItNames() {
    Fixture f = Fixture.allowAll();
    SubscriptionRecord sub =
        new SubscriptionRecord("sub:c1:s1", "c1", "s1", "prices", null, false, false);
    f.recovery()
        .recover(
            recovered(
                List.of(stored(5, 2, "queue:orders", "sub:c1:s1"), stored(6, 0, "queue:orders")),
                List.of(sub),
                6));
    MessageQueue orders = f.registry.queue("orders");
    assertEquals(2, orders.stats().pending());
    MessageQueueTest.RecordingSink sink = f.consume(orders);
    assertEquals(List.of(5L, 6L), sink.delivered.stream().map(QueueEntry::messageId).toList());
    assertEquals(2, sink.delivered.get(0).deliveryCount(), "the recorded deliveries count");
    Subscription s = f.subscriptions.durable("c1", "s1").orElseThrow();
    assertEquals(1, s.queue().stats().pending());
  }

  @Test
  void shouldSkipAStoredMessageForAnUnknownSubscription() {
    Fixture f = Fixture.allowAll();
    f.recovery().recover(recovered(List.of(stored(1, 0, "sub:gone:x")), List.of(), 1));
    assertTrue(f.subscriptions.all().isEmpty());
    assertEquals(0, f.memory.used());
  }

  @Test
  void shouldRouteGivenUpMessagesToTheRecoveredDeadLetterQueue() {
    Fixture f = Fixture.allowAll();
    f.recovery().recover(recovered(List.of(stored(1, 0, "queue:orders")), List.of(), 1));
    MessageQueue orders = f.registry.queue("orders");
    QueueEntry e = f.consume(orders).delivered.get(0);
    orders.settle(e, Outcome.REJECTED);
    assertEquals(1, f.registry.queue(Destinations.UNDELIVERED).stats().pending());
    assertEquals(2, f.ids.nextMessageId() - 1, "the moved message took the next id");
  }

  @Test
  void shouldTakeTheMessageAFollowerPreparedInsteadOfDecodingTheStoredBytes() {
    Fixture f = Fixture.allowAll();
    Message prepared =
        MessageCodec.decodeStored(MessageCodec.encodeForStore(Messages.persistent()), 0);
    // bytes no decoder reads: only the prepared message can have been enqueued
    byte[] unreadable = {(byte) 0xff, 0x01, 0x02};
    f.recovery()
        .recover(
            recovered(
                List.of(
                    new RecoveredMessage(7, unreadable, 0, List.of("queue:orders"), 0, prepared)),
                List.of(),
                7));
    QueueEntry e = f.consume(f.registry.queue("orders")).delivered.get(0);
    assertEquals(7, e.messageId());
    assertSame(prepared, e.message());
  }

  @Test
  void shouldGiveEachQueueWhatAFollowerBuiltOfItInItsDeliveryOrder() {
    Fixture f = Fixture.allowAll();
    SubscriptionRecord sub =
        new SubscriptionRecord("sub:c1:s1", "c1", "s1", "prices", null, false, false);
    FollowedQueues built = new FollowedQueues();
    Message low = Messages.persistent();
    Message high = Messages.withPriority(9);
    built.added(3, "queue:orders", low);
    built.added(4, "queue:orders", low);
    built.added(5, "queue:orders", high);
    built.added(6, "queue:orders", low);
    built.added(6, "sub:c1:s1", low);
    built.added(7, "sub:gone:x", low);
    // acknowledged while the backup followed
    built.removed(4, "queue:orders", low);
    assertEquals(5, built.references());
    f.recovery().recover(new Recovered(List.of(), List.of(sub), 7, false, built, 5));
    MessageQueue orders = f.registry.queue("orders");
    assertEquals(3, orders.stats().pending());
    assertEquals(3 * low.size() + high.size(), f.memory.used(), "orders' three, the sub's one");
    // a message sent after the takeover comes after those of its priority already there
    orders.enqueue(low, f.ids.nextMessageId(), 0);
    MessageQueueTest.RecordingSink sink = f.consume(orders);
    assertEquals(
        List.of(5L, 3L, 6L, 8L), sink.delivered.stream().map(QueueEntry::messageId).toList());
    assertEquals(1, sink.delivered.get(0).deliveryCount(), "after an unclean stop: redelivered");
    assertEquals(0, sink.delivered.get(3).deliveryCount());
    assertSame(orders, sink.delivered.get(0).queue());
    Subscription s = f.subscriptions.durable("c1", "s1").orElseThrow();
    assertEquals(1, s.queue().stats().pending());
    assertEquals(0, built.references(), "handed over, it holds nothing");
  }

  @Test
  void shouldCountNoDeliveryForWhatAFollowerBuiltWhenThePrimaryStoppedCleanly() {
    Fixture f = Fixture.allowAll();
    FollowedQueues built = new FollowedQueues();
    built.added(1, "queue:orders", Messages.persistent());
    built.added(2, "queue:orders", Messages.persistent());
    f.recovery().recover(new Recovered(List.of(), List.of(), 2, true, built, 2));
    MessageQueueTest.RecordingSink sink = f.consume(f.registry.queue("orders"));
    assertEquals(List.of(0, 0), sink.delivered.stream().map(QueueEntry::deliveryCount).toList());
  }

  @Test
  void shouldHandOverNothingOnceAMessageCouldNotBePrepared() {
    FollowedQueues built = new FollowedQueues();
    built.added(1, "queue:orders", Messages.persistent());
    built.added(2, "queue:orders", null);
    assertTrue(built.incomplete().contains("stored message 2"), built.incomplete());
  }
}
