package io.tandem.broker.destination;

import io.tandem.broker.BrokerException;
import io.tandem.broker.config.DestinationProperties;
import io.tandem.broker.config.DestinationRules;
import io.tandem.broker.message.Message;
import io.tandem.broker.store.MessageStore;
import io.tandem.broker.store.Recovered;
import io.tandem.process.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The broker's destinations: queues, topics, subscriptions and temporary destinations, created on
 * first use where {@code queues.conf} / {@code topics.conf} allow it. This is the package's one
 * entry point; each job is done by a class of its own behind it.
 */
public final class Destinations {
  /** The dead-letter queue, named as in EMS. */
  public static final String UNDELIVERED = "$sys.undelivered";

  /**
   * Longest producer message id used for duplicate detection: every id in the window is held in
   * memory and written with its message, so a client must not be able to make them large. A message
   * with a longer id is stored and delivered, but not checked for duplicates.
   */
  public static final int MAX_DUP_ID_LENGTH = 256;

  private final QueueContext context;
  private final TemporaryDestinations temporaries;
  private final DestinationRegistry registry;
  private final Subscriptions subscriptions;
  private final Router router;
  private final StoreRecovery recovery;
  private final DestinationAdmin admin;
  private final DestinationStats stats;

  /**
   * Creates the destinations; call {@link #recover} before use.
   *
   * @param server this broker's name, part of temporary destination names
   * @param clock whose wall time message expiry is measured in
   */
  public Destinations(
      String server,
      DestinationRules queueRules,
      DestinationRules topicRules,
      MessageStore store,
      MemoryBudget memory,
      Clock clock) {
    IdSource ids = new IdSource();
    DeadLetterRoute deadLetters = new DeadLetterRoute(store, ids);
    this.context = new QueueContext(store, memory, clock, deadLetters);
    this.temporaries = new TemporaryDestinations(server, ids, context);
    this.registry = new DestinationRegistry(queueRules, topicRules, context, temporaries);
    this.subscriptions = new Subscriptions(registry, context, ids);
    this.router = new Router(registry, subscriptions, context, ids);
    this.recovery = new StoreRecovery(registry, subscriptions, deadLetters, ids);
    this.admin = new DestinationAdmin(registry, subscriptions, context);
    this.stats = new DestinationStats(registry, subscriptions);
  }

  /** Creates the static destinations and rebuilds stored subscriptions and messages. */
  public void recover(Recovered recovered) {
    recovery.recover(recovered);
  }

  /** The queue {@code name}, created if the rules allow it. */
  public MessageQueue queue(String name) {
    return registry.queue(name);
  }

  /** Checks that the topic {@code name} (or a subscription pattern) is allowed. */
  public DestinationProperties topic(String name) {
    return registry.topic(name);
  }

  /**
   * Whether {@code name} has the {@code secure} property, without creating it: a queue's own
   * properties if it exists, else what queues.conf or topics.conf would give it. A wildcard
   * subscription is secure when any secure topic it could match is. Temporary destinations never
   * are: their creator decides who learns their name.
   */
  public boolean secure(DestinationKind kind, String name) {
    return registry.secure(kind, name);
  }

  /** The connection that created the temporary destination {@code name}, or {@code null}. */
  public ClientConnection temporaryOwner(String name) {
    return temporaries.owner(name);
  }

  /** Works out where {@code m}, sent to {@code name}, goes; checks limits; assigns its id. */
  public Route route(DestinationKind kind, String name, Message m, ClientConnection connection) {
    return router.route(kind, name, m, connection);
  }

  /** Stores the route's message if needed, then makes it visible. */
  public CompletableFuture<Void> send(Route route) {
    return router.send(route);
  }

  /** Starts a transaction whose sends may add up to {@code maxBytes} ({@code max_txn_size}). */
  public LocalTransaction transaction(long maxBytes) {
    return new LocalTransaction(context.store(), context.memory(), maxBytes);
  }

  /**
   * Finds or creates the subscription a consumer asks for. Completes once a new durable
   * subscription is stored.
   */
  public CompletableFuture<Subscription> subscribe(SubscriptionRequest req) {
    return subscriptions.subscribe(req);
  }

  /** Called after a consumer of {@code s} detached: ends subscriptions nobody may use again. */
  public void consumerGone(Subscription s) {
    subscriptions.consumerGone(s);
  }

  /** The durable subscription {@code name} of {@code clientId}, if it exists. */
  public Optional<Subscription> durable(String clientId, String name) {
    return subscriptions.durable(clientId, name);
  }

  /** Deletes a durable subscription and its messages; refused while a consumer uses it. */
  public CompletableFuture<Void> unsubscribe(String clientId, String name) {
    return subscriptions.unsubscribe(clientId, name);
  }

  /** Creates a temporary queue or topic owned by {@code owner}. */
  public String createTemporary(DestinationKind kind, ClientConnection owner) {
    return temporaries.create(kind, owner);
  }

  /** Deletes a temporary destination and anything waiting in it. */
  public void deleteTemporary(String name) {
    temporaries.delete(name);
  }

  /** Deletes every temporary destination {@code owner} created. */
  public void deleteTemporaries(ClientConnection owner) {
    temporaries.deleteOwnedBy(owner);
  }

  /** Counters of every queue, by name. */
  public List<QueueStats> queueStats() {
    return stats.queues();
  }

  /** Counters of every subscription, by key. */
  public List<SubscriptionStats> subscriptionStats() {
    return stats.subscriptions();
  }

  /** Topics seen (configured or published to) with their publish counts. */
  public Map<String, Long> topicCounters() {
    return stats.topics();
  }

  /**
   * Creates the queue {@code name} on an administrator's request, with the properties queues.conf
   * gives it overridden by {@code settings} (e.g. {@code failsafe,maxbytes=10MB}); works even where
   * queues.conf does not allow the name. Not written to queues.conf: after a restart the queue
   * exists again only if queues.conf allows it or it holds stored messages.
   *
   * @throws BrokerException {@code INVALID_INPUT} for a bad name or property, {@code ILLEGAL_STATE}
   *     if the queue exists
   */
  public MessageQueue createQueue(String name, String settings) {
    return admin.createQueue(name, settings);
  }

  /** Removes every pending message of an existing queue; returns how many. */
  public int purgeQueue(String name) {
    return admin.purgeQueue(name);
  }

  /**
   * Deletes an existing queue and its pending messages; refused while consumers are attached. A
   * queue that queues.conf allows can be created again by the next producer or consumer.
   */
  public void deleteQueue(String name) {
    admin.deleteQueue(name);
  }

  /**
   * Creates the topic {@code name} on an administrator's request, like {@link #createQueue}.
   *
   * @throws BrokerException {@code INVALID_INPUT} for a bad name or property, {@code ILLEGAL_STATE}
   *     if the topic exists
   */
  public void createTopic(String name, String settings) {
    admin.createTopic(name, settings);
  }

  /** Deletes a topic nobody subscribes to; refused while it has subscriptions. */
  public void deleteTopic(String name) {
    admin.deleteTopic(name);
  }
}
