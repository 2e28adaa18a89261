package io.tandem.broker.destination;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DestinationStatsTest {
  private final Fixture f = Fixture.allowAll().recovered();
  private final DestinationStats stats = new DestinationStats(f.registry, f.subscriptions);

  @Test
  void shouldListQueuesTemporaryOnesIncludedByName() {
    f.registry.queue("b");
    f.registry.queue("a").enqueue(Messages.persistent(), 1, 0);
    String tmp = f.temporaries.create(DestinationKind.QUEUE, new FakeConnection());
    List<QueueStats> queues = stats.queues();
    assertEquals(
        List.of(Destinations.UNDELIVERED, tmp, "a", "b"),
        queues.stream().map(QueueStats::name).toList());
    assertEquals(1, queues.get(2).messages());
  }

  @Test
  void shouldListSubscriptionsByTheirKeysText() {
    f.subscriptions
        .subscribe(new SubscriptionRequest("prices", "c", "s", null, false, true, false, null))
        .join();
    f.subscriptions
        .subscribe(new SubscriptionRequest("prices", "c", null, null, false, false, false, null))
        .join();
    List<SubscriptionStats> subs = stats.subscriptions();
    assertEquals(List.of("nd:1", "sub:c:s"), subs.stream().map(SubscriptionStats::key).toList());
    SubscriptionStats durable = subs.get(1);
    assertEquals("prices", durable.topic());
    assertEquals("s", durable.queue().name());
    assertEquals(true, durable.durable());
  }

  @Test
  void shouldCountPublishesPerTopic() {
    Router router = f.router();
    router.route(DestinationKind.TOPIC, "prices", Messages.persistent(), null);
    router.route(DestinationKind.TOPIC, "prices", Messages.persistent(), null);
    assertEquals(Map.of("prices", 2L), stats.topics());
  }
}
