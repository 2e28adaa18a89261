package io.tandem.broker.destination;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Snapshots of the destinations' counters for the admin view and the metrics, sorted by name (or
 * key). Each queue's counters are read under its monitor, one queue at a time; a snapshot is not
 * atomic across queues.
 */
final class DestinationStats {
  private final DestinationRegistry registry;
  private final Subscriptions subscriptions;

  DestinationStats(DestinationRegistry registry, Subscriptions subscriptions) {
    this.registry = registry;
    this.subscriptions = subscriptions;
  }

  List<QueueStats> queues() {
    return registry.queuesByName().values().stream().map(MessageQueue::stats).toList();
  }

  List<SubscriptionStats> subscriptions() {
    Map<String, Subscription> byKey = new TreeMap<>();
    subscriptions.all().forEach(s -> byKey.put(s.key().text(), s));
    return byKey.values().stream()
        .map(
            s ->
                new SubscriptionStats(
                    s.key().text(),
                    s.topic(),
                    s.name(),
                    s.clientId(),
                    s.durable(),
                    s.shared(),
                    s.queue().stats()))
        .toList();
  }

  Map<String, Long> topics() {
    return registry.publishCounts();
  }
}
