package io.tandem.broker.destination;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import io.tandem.broker.config.DestinationName;
import io.tandem.broker.config.DestinationProperties;
import io.tandem.broker.config.DestinationRules;
import java.util.logging.Logger;

/**
 * What an administrator does to queues and topics: create them with given properties, purge and
 * delete them. Names starting with {@code $} belong to the broker and are refused; temporary
 * destinations are not administrable. Nothing here is written to queues.conf or topics.conf.
 */
final class DestinationAdmin {
  private static final Logger LOG = Logger.getLogger(Destinations.class.getName());

  private final DestinationRegistry registry;
  private final Subscriptions subscriptions;
  private final QueueContext context;

  DestinationAdmin(
      DestinationRegistry registry, Subscriptions subscriptions, QueueContext context) {
    this.registry = registry;
    this.subscriptions = subscriptions;
    this.context = context;
  }

  MessageQueue createQueue(String name, String settings) {
    requireAdministrable(name, "queue");
    DestinationProperties props = properties(registry.queueRules(), name, settings);
    MessageQueue created = new MessageQueue(name, new DestinationKey.Queue(name), props, context);
    if (!registry.addQueue(created)) {
      throw new BrokerException(Category.ILLEGAL_STATE, "queue '" + name + "' already exists");
    }
    LOG.info("queue " + name + " created by an administrator");
    return created;
  }

  int purgeQueue(String name) {
    int purged = registry.administrableQueue(name).purge();
    LOG.info("queue " + name + " purged by an administrator: " + purged + " messages");
    return purged;
  }

  void deleteQueue(String name) {
    MessageQueue q = registry.administrableQueue(name);
    if (name.startsWith("$")) {
      throw new BrokerException(
          Category.ILLEGAL_STATE,
          "queue '" + name + "' belongs to the broker and cannot be deleted");
    }
    if (q.consumerCount() > 0) {
      throw new BrokerException(
          Category.ILLEGAL_STATE,
          "queue '" + name + "' has " + q.consumerCount() + " consumers; close them first");
    }
    int purged = q.purge();
    registry.removeQueue(q);
    q.drop();
    LOG.info("queue " + name + " deleted by an administrator (" + purged + " messages dropped)");
  }

  void createTopic(String name, String settings) {
    requireAdministrable(name, "topic");
    DestinationProperties props = properties(registry.topicRules(), name, settings);
    if (!registry.addTopic(name, props)) {
      throw new BrokerException(Category.ILLEGAL_STATE, "topic '" + name + "' already exists");
    }
    LOG.info("topic " + name + " created by an administrator");
  }

  void deleteTopic(String name) {
    if (!registry.hasTopic(name)) {
      throw new BrokerException(Category.NOT_FOUND, "topic '" + name + "' does not exist");
    }
    subscriptions.whenNoneOn(name, () -> registry.removeTopic(name));
    LOG.info("topic " + name + " deleted by an administrator");
  }

  private static void requireAdministrable(String name, String kind) {
    String problem = DestinationName.problem(name);
    if (problem == null && DestinationName.isWildcard(name)) {
      problem = kind + " name '" + name + "' has wildcards";
    }
    if (problem == null && name.startsWith("$")) {
      problem = kind + " names starting with '$' belong to the broker";
    }
    if (problem != null) {
      throw new BrokerException(Category.INVALID_INPUT, problem);
    }
  }

  private static DestinationProperties properties(
      DestinationRules rules, String name, String settings) {
    try {
      return rules.withSettings(name, settings == null ? "" : settings);
    } catch (BrokerException e) {
      throw new BrokerException(Category.INVALID_INPUT, e.getMessage(), e);
    }
  }
}
