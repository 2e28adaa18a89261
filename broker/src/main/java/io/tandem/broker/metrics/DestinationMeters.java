package io.tandem.broker.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.broker.destination.QueueStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Per-destination meters. Destinations come and go at runtime (and all of them change at a
 * failover), so each scrape brings the meters in line with the current destinations: new ones are
 * registered, vanished ones removed.
 */
final class DestinationMeters {
  private final MeterRegistry registry;
  private volatile Map<String, QueueStats> queues = Map.of();
  private volatile Map<String, Long> topics = Map.of();
  private final Map<String, List<Meter>> registered = new HashMap<>();

  DestinationMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  synchronized void update(Map<String, QueueStats> nowQueues, Map<String, Long> nowTopics) {
    queues = Map.copyOf(nowQueues);
    topics = Map.copyOf(nowTopics);
    for (String name : nowQueues.keySet()) {
      registered.computeIfAbsent("queue:" + name, k -> queueMeters(name));
    }
    for (String name : nowTopics.keySet()) {
      registered.computeIfAbsent("topic:" + name, k -> topicMeters(name));
    }
    registered
        .entrySet()
        .removeIf(
            e -> {
              String key = e.getKey();
              boolean gone =
                  key.startsWith("queue:")
                      ? !nowQueues.containsKey(key.substring(6))
                      : !nowTopics.containsKey(key.substring(6));
              if (gone) {
                e.getValue().forEach(registry::remove);
              }
              return gone;
            });
  }

  private List<Meter> queueMeters(String name) {
    List<Meter> m = new ArrayList<>();
    m.add(
        counter(
            "tandem.messages.in",
            "Messages stored into the destination",
            name,
            "queue",
            q -> queue(name, QueueStats::enqueued)));
    m.add(
        counter(
            "tandem.messages.out",
            "Messages acknowledged from the destination",
            name,
            "queue",
            q -> queue(name, QueueStats::dequeued)));
    m.add(
        gauge(
            "tandem.queue.pending",
            "Messages waiting for a consumer",
            name,
            "messages",
            q -> queue(name, QueueStats::pending)));
    m.add(
        gauge(
            "tandem.queue.unacknowledged",
            "Messages delivered and not yet acknowledged",
            name,
            "messages",
            q -> queue(name, QueueStats::unacknowledged)));
    m.add(
        gauge(
            "tandem.queue.consumers",
            "Consumers attached",
            name,
            null,
            q -> queue(name, QueueStats::consumers)));
    m.add(
        Gauge.builder("tandem.queue.size", this, q -> queue(name, QueueStats::bytes))
            .description("Bytes of the queue's messages")
            .baseUnit("bytes")
            .tag("queue", name)
            .register(registry));
    return m;
  }

  private List<Meter> topicMeters(String name) {
    return List.of(
        counter(
            "tandem.messages.in",
            "Messages published to the destination",
            name,
            "topic",
            t -> topics.getOrDefault(name, 0L).doubleValue()));
  }

  private double queue(String name, ToDoubleFunction<QueueStats> value) {
    QueueStats q = queues.get(name);
    return q == null ? 0 : value.applyAsDouble(q);
  }

  // meters read through this object, which the registry's weak references must not lose
  private Meter counter(
      String meter, String help, String name, String kind, ToDoubleFunction<DestinationMeters> f) {
    return FunctionCounter.builder(meter, this, f)
        .description(help)
        .tag("destination", name)
        .tag("kind", kind)
        .register(registry);
  }

  private Meter gauge(
      String meter, String help, String name, String unit, ToDoubleFunction<DestinationMeters> f) {
    return Gauge.builder(meter, this, f)
        .description(help)
        .baseUnit(unit)
        .tag("queue", name)
        .register(registry);
  }
}
