package io.tandem.broker.destination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.config.DestinationProperties;
import io.tandem.broker.config.OverflowPolicy;
import io.tandem.broker.message.Message;
import io.tandem.broker.store.MemoryStore;
import io.tandem.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MessageQueue against a hand-written sink that records what it is given. */
class MessageQueueTest {

  /** Records dispatches and drains, as a protocol link would receive them. */
  static final class RecordingSink implements ConsumerSink {
    final List<QueueEntry> delivered = new ArrayList<>();
    int drains;

    @Override
    public void dispatch(QueueEntry entry, boolean browse) {
      delivered.add(entry);
    }

    @Override
    public void drained() {
      drains++;
    }
  }

  private final List<String> deadLettered = new ArrayList<>();
  private final FakeClock clock = new FakeClock(Instant.ofEpochMilli(1_000));

  private MessageQueue queue(DestinationProperties props) {
    QueueContext ctx =
        new QueueContext(
            new MemoryStore(), new MemoryBudget(0), clock, (e, reason) -> deadLettered.add(reason));
    return new MessageQueue("q", new DestinationKey.Queue("q"), props, ctx);
  }

  private static Message message(int priority, long expiresAt) {
    return new Message(
        new byte[10],
        true,
        priority,
        expiresAt,
        null,
        null,
        null,
        0,
        null,
        null,
        null,
        -1,
        Map.of(),
        0);
  }

  private static QueueConsumer consumer(RecordingSink sink) {
    return new QueueConsumer(sink, null, false, new FakeConnection());
  }

  @Test
  void shouldNeverDispatchMoreThanTheCredit() {
    MessageQueue q = queue(DestinationProperties.DEFAULTS);
    for (int i = 0; i < 5; i++) {
      q.enqueue(message(4, 0), i, 0);
    }
    RecordingSink sink = new RecordingSink();
    QueueConsumer c = consumer(sink);
    q.addConsumer(c);
    q.flow(c, 2, false);
    assertEquals(2, sink.delivered.size());
    q.flow(c, 2, false);
    assertEquals(2, sink.delivered.size(), "credit already used by deliveries in transit");
    c.sent();
    c.sent();
    q.flow(c, 3, false);
    assertEquals(5, sink.delivered.size());
  }

  @Test
  void shouldDrainByTellingTheSinkAfterDispatchingWhatItCan() {
    MessageQueue q = queue(DestinationProperties.DEFAULTS);
    q.enqueue(message(4, 0), 1, 0);
    RecordingSink sink = new RecordingSink();
    QueueConsumer c = consumer(sink);
    q.addConsumer(c);
    q.flow(c, 10, true);
    assertEquals(1, sink.delivered.size());
    assertEquals(1, sink.drains);
    q.enqueue(message(4, 0), 2, 0);
    assertEquals(1, sink.delivered.size(), "no credit after a drain");
  }

  @Test
  void shouldAlternateBetweenConsumers() {
    MessageQueue q = queue(DestinationProperties.DEFAULTS);
    RecordingSink a = new RecordingSink();
    RecordingSink b = new RecordingSink();
    QueueConsumer ca = consumer(a);
    QueueConsumer cb = consumer(b);
    q.addConsumer(ca);
    q.addConsumer(cb);
    q.flow(ca, 100, false);
    q.flow(cb, 100, false);
    for (int i = 0; i < 10; i++) {
      q.enqueue(message(4, 0), i, 0);
    }
    assertEquals(5, a.delivered.size());
    assertEquals(5, b.delivered.size());
  }

  @Test
  void shouldRequeueReleasedAtItsOriginalPositionAndCountModified() {
    MessageQueue q = queue(DestinationProperties.DEFAULTS);
    for (int i = 0; i < 3; i++) {
      q.enqueue(message(4, 0), i, 0);
    }
    RecordingSink sink = new RecordingSink();
    QueueConsumer c = consumer(sink);
    q.addConsumer(c);
    q.flow(c, 1, false);
    QueueEntry first = sink.delivered.get(0);
    c.sent();
    q.settle(first, Outcome.MODIFIED_FAILED);
    assertEquals(1, first.deliveryCount());
    q.flow(c, 1, false);
    assertEquals(first.messageId(), sink.delivered.get(1).messageId(), "back at the head");
    c.sent();
    q.settle(sink.delivered.get(1), Outcome.RELEASED);
    assertEquals(1, first.deliveryCount(), "released does not count");
  }

  @Test
  void shouldDeadLetterAfterMaxRedelivery() {
    DestinationProperties props =
        new DestinationProperties(false, 0, 0, OverflowPolicy.DEFAULT, 2, Duration.ZERO, false);
    MessageQueue q = queue(props);
    q.enqueue(message(4, 0), 1, 0);
    RecordingSink sink = new RecordingSink();
    QueueConsumer c = consumer(sink);
    q.addConsumer(c);
    for (int i = 0; i < 2; i++) {
      q.flow(c, 1, false);
      c.sent();
      q.settle(sink.delivered.get(i), Outcome.MODIFIED_FAILED);
    }
    assertEquals(List.of("delivered 2 times (maxRedelivery 2)"), deadLettered);
    assertEquals(0, q.stats().messages());
  }

  @Test
  void shouldDropExpiredMessagesInsteadOfDelivering() {
    MessageQueue q = queue(DestinationProperties.DEFAULTS);
    q.enqueue(message(4, 1_500), 1, 0);
    q.enqueue(message(4, 0), 2, 0);
    clock.advance(Duration.ofMillis(1_000));
    RecordingSink sink = new RecordingSink();
    QueueConsumer c = consumer(sink);
    q.addConsumer(c);
    q.flow(c, 10, false);
    assertEquals(1, sink.delivered.size());
    assertEquals(2, sink.delivered.get(0).messageId());
    assertEquals(1, q.stats().messages());
  }

  @Test
  void shouldKeepPriorityThenArrivalOrder() {
    MessageQueue q = queue(DestinationProperties.DEFAULTS);
    int[] priorities = {1, 9, 4, 9, 0};
    for (int i = 0; i < priorities.length; i++) {
      q.enqueue(message(priorities[i], 0), i, 0);
    }
    RecordingSink sink = new RecordingSink();
    QueueConsumer c = consumer(sink);
    q.addConsumer(c);
    q.flow(c, 10, false);
    List<Long> order = sink.delivered.stream().map(QueueEntry::messageId).toList();
    assertEquals(List.of(1L, 3L, 2L, 0L, 4L), order);
  }

  @Test
  void shouldRefuseWhenFullUnlessDiscardingOld() {
    DestinationProperties full =
        new DestinationProperties(false, 0, 2, OverflowPolicy.DEFAULT, 0, Duration.ZERO, false);
    MessageQueue q = queue(full);
    q.enqueue(message(4, 0), 1, 0);
    q.enqueue(message(4, 0), 2, 0);
    assertTrue(!q.hasRoomFor(10));
    DestinationProperties old =
        new DestinationProperties(false, 0, 2, OverflowPolicy.DISCARD_OLD, 0, Duration.ZERO, false);
    MessageQueue d = queue(old);
    for (int i = 1; i <= 3; i++) {
      assertTrue(d.hasRoomFor(10));
      d.enqueue(message(4, 0), i, 0);
    }
    assertEquals(2, d.stats().messages());
  }

  @Test
  void shouldRestoreInOneGoAsTheStoreListedThemInPriorityThenArrivalOrder() {
    MemoryBudget memory = new MemoryBudget(0);
    MessageQueue q =
        new MessageQueue(
            "q",
            new DestinationKey.Queue("q"),
            DestinationProperties.DEFAULTS,
            new QueueContext(new MemoryStore(), memory, clock, (e, reason) -> {}));
    int[] priorities = {1, 9, 4, 9, 0, 4};
    List<MessageQueue.Restored> stored = new ArrayList<>();
    for (int i = 0; i < priorities.length; i++) {
      stored.add(new MessageQueue.Restored(message(priorities[i], 0), 10 + i, i == 2 ? 1 : 0));
    }
    q.restore(stored);
    assertEquals(6, q.stats().messages());
    assertEquals(60, memory.used());
    // a message that arrives after the takeover goes behind the restored ones of its priority
    q.enqueue(message(9, 0), 20, 0);
    RecordingSink sink = new RecordingSink();
    QueueConsumer c = consumer(sink);
    q.addConsumer(c);
    q.flow(c, 10, false);
    List<Long> order = sink.delivered.stream().map(QueueEntry::messageId).toList();
    assertEquals(List.of(11L, 13L, 20L, 12L, 15L, 10L, 14L), order);
    assertEquals(1, sink.delivered.get(3).deliveryCount(), "its recorded deliveries kept");
  }

  @Test
  void shouldRestoreIntoAQueueThatAlreadyHoldsMessagesAndDiscardTheOldestBeyondItsLimit() {
    DestinationProperties old =
        new DestinationProperties(false, 0, 3, OverflowPolicy.DISCARD_OLD, 0, Duration.ZERO, false);
    MessageQueue q = queue(old);
    q.enqueue(message(4, 0), 1, 0);
    q.restore(
        List.of(
            new MessageQueue.Restored(message(4, 0), 2, 0),
            new MessageQueue.Restored(message(4, 0), 3, 0),
            new MessageQueue.Restored(message(4, 0), 4, 0)));
    assertEquals(3, q.stats().messages());
    RecordingSink sink = new RecordingSink();
    QueueConsumer c = consumer(sink);
    q.addConsumer(c);
    q.flow(c, 10, false);
    assertEquals(List.of(2L, 3L, 4L), sink.delivered.stream().map(QueueEntry::messageId).toList());
  }
}
