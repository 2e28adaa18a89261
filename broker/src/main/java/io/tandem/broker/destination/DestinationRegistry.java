package io.tandem.broker.destination;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import io.tandem.broker.config.DestinationName;
import io.tandem.broker.config.DestinationProperties;
import io.tandem.broker.config.DestinationRules;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which queues and topics exist and with what properties: those queues.conf and topics.conf name or
 * allow (created on first use), those an administrator created, and the temporary ones. Every map
 * is concurrent; this object's monitor guards only the changes that touch both topic maps.
 */
final class DestinationRegistry {
  private final DestinationRules queueRules;
  private final DestinationRules topicRules;
  private final QueueContext context;
  private final TemporaryDestinations temporaries;
  private final Map<String, MessageQueue> queues = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> published = new ConcurrentHashMap<>();
  private final Map<String, DestinationProperties> createdTopics = new ConcurrentHashMap<>();

  DestinationRegistry(
      DestinationRules queueRules,
      DestinationRules topicRules,
      QueueContext context,
      TemporaryDestinations temporaries) {
    this.queueRules = queueRules;
    this.topicRules = topicRules;
    this.context = context;
    this.temporaries = temporaries;
  }

  DestinationRules queueRules() {
    return queueRules;
  }

  DestinationRules topicRules() {
    return topicRules;
  }

  /** The queue {@code name}, created if the rules allow it. */
  MessageQueue queue(String name) {
    MessageQueue q = existing(name);
    if (q != null) {
      return q;
    }
    if (name.startsWith("$tmp.") || name.startsWith("$sys.")) {
      throw new BrokerException(Category.NOT_FOUND, "queue '" + name + "' does not exist");
    }
    String problem = DestinationName.problem(name);
    if (problem != null || DestinationName.isWildcard(name)) {
      throw new BrokerException(
          Category.INVALID_INPUT,
          problem != null ? problem : "queue name '" + name + "' has wildcards");
    }
    DestinationProperties props =
        queueRules
            .lookup(name)
            .orElseThrow(
                () ->
                    new BrokerException(
                        Category.NOT_FOUND,
                        "queue '" + name + "' does not exist and queues.conf does not allow it"));
    return configuredQueue(name, props);
  }

  /** The queue or temporary queue {@code name} if it exists, else {@code null}. */
  private MessageQueue existing(String name) {
    MessageQueue q = queues.get(name);
    return q != null ? q : temporaries.queue(name);
  }

  /** The queue {@code name} with {@code props}, created if it does not exist. */
  MessageQueue configuredQueue(String name, DestinationProperties props) {
    return queues.computeIfAbsent(
        name, n -> new MessageQueue(n, new DestinationKey.Queue(n), props, context));
  }

  /** The queue a stored message refers to, created with what queues.conf gives it. */
  MessageQueue storedQueue(DestinationKey.Queue key) {
    return configuredQueue(
        key.name(), queueRules.lookup(key.name()).orElse(DestinationProperties.DEFAULTS));
  }

  /** Checks that the topic {@code name} (or a subscription pattern) is allowed. */
  DestinationProperties topic(String name) {
    if (temporaries.contains(name)) {
      return DestinationProperties.DEFAULTS;
    }
    DestinationProperties created = createdTopics.get(name);
    if (created != null) {
      return created;
    }
    String problem = DestinationName.problem(name);
    if (problem != null) {
      throw new BrokerException(Category.INVALID_INPUT, problem);
    }
    return topicRules
        .lookup(name)
        .orElseThrow(
            () ->
                new BrokerException(
                    Category.NOT_FOUND,
                    "topic '" + name + "' does not exist and topics.conf does not allow it"));
  }

  /** The properties of the topic a recovered subscription listens to. */
  DestinationProperties storedTopic(String name) {
    return topicRules.lookup(name).orElse(DestinationProperties.DEFAULTS);
  }

  /** See {@link Destinations#secure}. */
  boolean secure(DestinationKind kind, String name) {
    if (temporaries.contains(name)) {
      return false;
    }
    if (kind == DestinationKind.QUEUE) {
      MessageQueue q = queues.get(name);
      if (q != null) {
        return q.properties().secure();
      }
      return queueRules.lookup(name).map(DestinationProperties::secure).orElse(false);
    }
    DestinationProperties created = createdTopics.get(name);
    if (created != null) {
      return created.secure();
    }
    if (DestinationName.isWildcard(name)) {
      if (topicRules.secureOverlapping(name)) {
        return true;
      }
      for (Map.Entry<String, DestinationProperties> e : createdTopics.entrySet()) {
        if (e.getValue().secure() && DestinationName.overlaps(e.getKey(), name)) {
          return true;
        }
      }
    }
    return topicRules.lookup(name).map(DestinationProperties::secure).orElse(false);
  }

  /** Counts a message published to the topic {@code name} (which becomes a seen topic). */
  void countPublished(String name) {
    published.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
  }

  /** Makes a configured topic seen before anything is published to it. */
  void knowTopic(String name) {
    published.computeIfAbsent(name, n -> new AtomicLong());
  }

  /** Adds a queue an administrator made; false if one of that name exists. */
  boolean addQueue(MessageQueue q) {
    return queues.putIfAbsent(q.name(), q) == null;
  }

  /** A queue that exists and is not temporary (what an administrator may act on), or NOT_FOUND. */
  MessageQueue administrableQueue(String name) {
    MessageQueue q = queues.get(name);
    if (q == null || temporaries.contains(name)) {
      throw new BrokerException(Category.NOT_FOUND, "queue '" + name + "' does not exist");
    }
    return q;
  }

  void removeQueue(MessageQueue q) {
    queues.remove(q.name(), q);
  }

  /** Adds a topic an administrator made; false if a topic of that name is known. */
  synchronized boolean addTopic(String name, DestinationProperties props) {
    if (published.containsKey(name) || createdTopics.putIfAbsent(name, props) != null) {
      return false;
    }
    knowTopic(name);
    return true;
  }

  boolean hasTopic(String name) {
    return published.containsKey(name);
  }

  synchronized void removeTopic(String name) {
    published.remove(name);
    createdTopics.remove(name);
  }

  /** Every queue, temporary ones included, by name. */
  Map<String, MessageQueue> queuesByName() {
    Map<String, MessageQueue> all = new TreeMap<>(queues);
    all.putAll(temporaries.queues());
    return all;
  }

  /** Topics seen (configured, created or published to) with their publish counts, by name. */
  Map<String, Long> publishCounts() {
    Map<String, Long> result = new TreeMap<>();
    published.forEach((name, count) -> result.put(name, count.get()));
    return result;
  }
}
