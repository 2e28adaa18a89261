package io.tandem.broker.destination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import io.tandem.broker.store.StoreBatch;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadLetterRouteTest {
  private final Fixture f = Fixture.allowAll().recovered();

  /** A stored message on {@code queue}, delivered to a consumer and not yet settled. */
  private QueueEntry delivered(MessageQueue queue) {
    Router router = f.router();
    router.send(router.route(DestinationKind.QUEUE, queue.name(), Messages.persistent(), null));
    MessageQueueTest.RecordingSink sink = f.consume(queue);
    return sink.delivered.get(sink.delivered.size() - 1);
  }

  @Test
  void shouldMoveARejectedMessageAndItsRemovalInOneStoreBatch() {
    QueueEntry entry = delivered(f.registry.queue("orders"));
    entry.queue().settle(entry, Outcome.REJECTED);
    StoreBatch moved = f.store.last();
    assertEquals(
        List.of(new StoreBatch.Remove("queue:orders", entry.messageId(), false)), moved.removes());
    assertEquals(1, moved.adds().size());
    assertEquals(List.of("queue:" + Destinations.UNDELIVERED), moved.adds().get(0).queueKeys());
    MessageQueue dlq = f.registry.queue(Destinations.UNDELIVERED);
    assertEquals(1, dlq.stats().pending());
    assertEquals(0, entry.queue().stats().messages());
  }

  @Test
  void shouldRecordWhereTheMessageCameFromAndWhy() {
    QueueEntry entry = delivered(f.registry.queue("orders"));
    entry.queue().settle(entry, Outcome.REJECTED);
    MessageQueueTest.RecordingSink sink = f.consume(f.registry.queue(Destinations.UNDELIVERED));
    var props = sink.delivered.get(0).message().applicationProperties();
    assertEquals("orders", props.get("JMS_TANDEM_UNDELIVERED_ORIGIN"));
    assertEquals("rejected by consumer", props.get("JMS_TANDEM_UNDELIVERED_REASON"));
  }

  @Test
  void shouldShowTheMovedMessageOnlyOnceTheStoreHasTheMove() {
    QueueEntry entry = delivered(f.registry.queue("orders"));
    f.store.hold = true;
    entry.queue().settle(entry, Outcome.REJECTED);
    MessageQueue dlq = f.registry.queue(Destinations.UNDELIVERED);
    assertTrue(dlq.isEmpty());
    f.store.held.get(0).complete(null);
    assertEquals(1, dlq.stats().pending());
  }

  @Test
  void shouldDropAMessageGivenUpInTheDeadLetterQueueItself() {
    QueueEntry first = delivered(f.registry.queue("orders"));
    first.queue().settle(first, Outcome.REJECTED);
    MessageQueue dlq = f.registry.queue(Destinations.UNDELIVERED);
    QueueEntry again = f.consume(dlq).delivered.get(0);
    dlq.settle(again, Outcome.REJECTED);
    StoreBatch dropped = f.store.last();
    assertTrue(dropped.adds().isEmpty());
    assertEquals(1, dropped.removes().size());
    assertTrue(dlq.isEmpty());
  }

  @Test
  void shouldRefuseToMoveAnythingBeforeRecoveryMadeTheDeadLetterQueue() {
    Fixture fresh = Fixture.allowAll();
    MessageQueue q = fresh.registry.queue("orders");
    QueueEntry entry = new QueueEntry(new QueueEntry.Home(q), Messages.persistent(), 1, 0, 0);
    BrokerException e =
        assertThrows(BrokerException.class, () -> fresh.deadLetters.deadLetter(entry, "why"));
    assertEquals(Category.ILLEGAL_STATE, e.category());
  }
}
