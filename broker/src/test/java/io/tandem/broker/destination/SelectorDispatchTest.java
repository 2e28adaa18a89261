package io.tandem.broker.destination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.config.DestinationProperties;
import io.tandem.broker.message.Message;
import io.tandem.broker.selector.Selector;
import io.tandem.broker.store.MemoryStore;
import io.tandem.testing.FakeClock;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A consumer whose selector matches nothing costs one evaluation per message, not one per message
 * per dispatch; work is counted by the property lookups the selector makes.
 */
class SelectorDispatchTest {
  private static final int PENDING = 100_000;

  /** Application properties that count how often a selector reads them. */
  private static final class CountingProperties extends AbstractMap<String, Object> {
    static long reads;
    private final String color;

    CountingProperties(String color) {
      this.color = color;
    }

    @Override
    public Object get(Object key) {
      reads++;
      return "color".equals(key) ? color : null;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      return Map.<String, Object>of("color", color).entrySet();
    }
  }

  private static Message message(String color) {
    return new Message(
        new byte[10],
        false,
        4,
        0,
        null,
        null,
        null,
        0,
        null,
        null,
        null,
        -1,
        new CountingProperties(color),
        0);
  }

  private static MessageQueue queue() {
    QueueContext ctx =
        new QueueContext(new MemoryStore(), new MemoryBudget(0), new FakeClock(), (e, r) -> {});
    return new MessageQueue("q", null, DestinationProperties.DEFAULTS, ctx);
  }

  @Test
  void shouldEvaluateEachNonMatchingMessageOnceWhileMoreArrive() {
    MessageQueue q = queue();
    MessageQueueTest.RecordingSink sink = new MessageQueueTest.RecordingSink();
    QueueConsumer red =
        new QueueConsumer(sink, Selector.parse("color = 'red'"), false, new FakeConnection());
    q.addConsumer(red);
    q.flow(red, 10, false);
    CountingProperties.reads = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < PENDING; i++) {
      q.enqueue(message("blue"), i, 0);
    }
    long perDispatchNs = (System.nanoTime() - t0) / PENDING;
    assertEquals(PENDING, CountingProperties.reads, "one evaluation per non-matching message");
    System.out.println(
        "enqueue+dispatch with "
            + PENDING
            + " non-matching pending: "
            + perDispatchNs
            + " ns each");

    CountingProperties.reads = 0;
    q.enqueue(message("red"), PENDING, 0);
    assertEquals(1, CountingProperties.reads, "a new message is the only one examined");
    assertEquals(1, sink.delivered.size());
    assertEquals(PENDING, q.stats().pending());
  }

  @Test
  void shouldSeeAMessagePutBackBeforeTheMark() {
    MessageQueue q = queue();
    MessageQueueTest.RecordingSink sink = new MessageQueueTest.RecordingSink();
    QueueConsumer red =
        new QueueConsumer(sink, Selector.parse("color = 'red'"), false, new FakeConnection());
    q.addConsumer(red);
    q.flow(red, 10, false);
    q.enqueue(message("red"), 1, 0);
    for (int i = 0; i < 100; i++) {
      q.enqueue(message("blue"), 2 + i, 0);
    }
    QueueEntry first = sink.delivered.get(0);
    q.settle(first, Outcome.RELEASED);
    assertEquals(2, sink.delivered.size(), "the released message is offered again");
    assertEquals(first, sink.delivered.get(1));
  }

  @Test
  void shouldGiveAMessageOneConsumerSkippedToAnotherThatMatches() {
    MessageQueue q = queue();
    MessageQueueTest.RecordingSink redSink = new MessageQueueTest.RecordingSink();
    MessageQueueTest.RecordingSink blueSink = new MessageQueueTest.RecordingSink();
    QueueConsumer red =
        new QueueConsumer(redSink, Selector.parse("color = 'red'"), false, new FakeConnection());
    QueueConsumer blue =
        new QueueConsumer(blueSink, Selector.parse("color = 'blue'"), false, new FakeConnection());
    q.addConsumer(red);
    q.addConsumer(blue);
    q.flow(red, 100, false);
    for (int i = 0; i < 50; i++) {
      q.enqueue(message("blue"), i, 0);
    }
    assertTrue(redSink.delivered.isEmpty());
    q.flow(blue, 100, false);
    assertEquals(50, blueSink.delivered.size(), "blue had no credit when red skipped them");
    q.enqueue(message("red"), 99, 0);
    assertEquals(List.of(99L), redSink.delivered.stream().map(QueueEntry::messageId).toList());
  }
}
