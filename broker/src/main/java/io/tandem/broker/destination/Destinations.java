package io.tandem.broker.destination;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import io.tandem.broker.config.DestinationName;
import io.tandem.broker.config.DestinationProperties;
import io.tandem.broker.config.DestinationRules;
import io.tandem.broker.config.OverflowPolicy;
import io.tandem.broker.message.Message;
import io.tandem.broker.message.MessageCodec;
import io.tandem.broker.store.MessageStore;
import io.tandem.broker.store.Recovered;
import io.tandem.broker.store.StoreBatch;
import io.tandem.broker.store.SubscriptionRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * The broker's destinations: queues, topics, subscriptions and temporary destinations, created on
 * first use where {@code queues.conf} / {@code topics.conf} allow it.
 */
public final class Destinations implements DeadLetters {
  /** The dead-letter queue, named as in EMS. */
  public static final String UNDELIVERED = "$sys.undelivered";

  /**
   * Longest producer message id used for duplicate detection: every id in the window is held in
   * memory and written with its message, so a client must not be able to make them large. A message
   * with a longer id is stored and delivered, but not checked for duplicates.
   */
  public static final int MAX_DUP_ID_LENGTH = 256;

  private static final Logger LOG = Logger.getLogger(Destinations.class.getName());
  private static final String QUEUE_KEY = "queue:";

  private final DestinationRules queueRules;
  private final DestinationRules topicRules;
  private final QueueContext context;
  private final AtomicLong messageIds = new AtomicLong();
  private final AtomicLong temporaryIds = new AtomicLong();
  private final String temporaryPrefix;
  private final Map<String, MessageQueue> queues = new ConcurrentHashMap<>();
  private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
  private final Map<String, TopicCounters> topics = new ConcurrentHashMap<>();
  private final Map<String, Object> temporaries = new ConcurrentHashMap<>();
  private final Map<String, DestinationProperties> createdTopics = new ConcurrentHashMap<>();

  /** Creates the registry; call {@link #recover} before use. */
  public Destinations(
      String server,
      DestinationRules queueRules,
      DestinationRules topicRules,
      MessageStore store,
      MemoryBudget memory,
      LongSupplier clock) {
    this.queueRules = queueRules;
    this.topicRules = topicRules;
    this.context = new QueueContext(store, memory, clock, this);
    this.temporaryPrefix = "$tmp." + server + "." + Long.toHexString(clock.getAsLong()) + ".";
  }

  /** Creates the static destinations and rebuilds stored subscriptions and messages. */
  public void recover(Recovered recovered) {
    messageIds.set(recovered.lastMessageId());
    createQueue(UNDELIVERED, queueRules.lookup(UNDELIVERED).orElse(DestinationProperties.DEFAULTS));
    for (String name : queueRules.staticNames()) {
      queue(name);
    }
    for (String name : topicRules.staticNames()) {
      topics.computeIfAbsent(name, n -> new TopicCounters());
    }
    for (SubscriptionRecord r : recovered.subscriptions()) {
      subscriptions.put(r.key(), newSubscription(r, true, null));
    }
    recovered.drainMessages(
        rm -> {
          Message m = MessageCodec.decodeStored(rm.data(), rm.expiresAt());
          for (String key : rm.queueKeys()) {
            MessageQueue q = storeQueue(key);
            if (q == null) {
              LOG.warning("stored message " + rm.messageId() + " refers to unknown queue " + key);
              continue;
            }
            q.enqueue(m, rm.messageId(), rm.deliveryCount());
          }
        });
  }

  private MessageQueue storeQueue(String key) {
    if (key.startsWith(QUEUE_KEY)) {
      String name = key.substring(QUEUE_KEY.length());
      return queues.computeIfAbsent(
          name,
          n ->
              new MessageQueue(
                  n, key, queueRules.lookup(n).orElse(DestinationProperties.DEFAULTS), context));
    }
    Subscription s = subscriptions.get(key);
    return s == null ? null : s.queue();
  }

  /** The queue {@code name}, created if the rules allow it. */
  public MessageQueue queue(String name) {
    MessageQueue q = queues.get(name);
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
    return createQueue(name, props);
  }

  private MessageQueue createQueue(String name, DestinationProperties props) {
    return queues.computeIfAbsent(name, n -> new MessageQueue(n, QUEUE_KEY + n, props, context));
  }

  /** Checks that the topic {@code name} (or a subscription pattern) is allowed. */
  public DestinationProperties topic(String name) {
    if (temporaries.containsKey(name)) {
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

  /**
   * Whether {@code name} has the {@code secure} property, without creating it: a queue's own
   * properties if it exists, else what queues.conf or topics.conf would give it. A wildcard
   * subscription is secure when any secure topic it could match is. Temporary destinations never
   * are: their creator decides who learns their name.
   */
  public boolean secure(DestinationKind kind, String name) {
    if (temporaries.containsKey(name)) {
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

  /** The connection that created the temporary destination {@code name}, or {@code null}. */
  public Object temporaryOwner(String name) {
    return temporaries.get(name);
  }

  /** Works out where {@code m}, sent to {@code name}, goes; checks limits; assigns its id. */
  public Route route(DestinationKind kind, String name, Message m, Object connection) {
    return kind == DestinationKind.QUEUE
        ? routeToQueue(name, m)
        : routeToTopic(name, m, connection);
  }

  private Route routeToQueue(String name, Message m) {
    MessageQueue q = queue(name);
    DestinationProperties props = q.properties();
    Message msg = applyExpiration(m, props);
    if (!q.hasRoomFor(msg.size())) {
      throw full("queue", name, props);
    }
    long id = messageIds.incrementAndGet();
    StoreBatch.Add add =
        q.persists(msg)
            ? new StoreBatch.Add(
                id,
                MessageCodec.encodeForStore(msg),
                msg.expiresAt(),
                List.of(q.storeKey()),
                props.failsafe(),
                q.storeKey(),
                dupId(msg))
            : null;
    return new Route(id, msg, List.of(q), add);
  }

  private Route routeToTopic(String name, Message m, Object connection) {
    DestinationProperties props = topic(name);
    if (DestinationName.isWildcard(name)) {
      throw new BrokerException(
          Category.INVALID_INPUT, "cannot publish to wildcard topic '" + name + "'");
    }
    Message msg = applyExpiration(m, props);
    topics.computeIfAbsent(name, n -> new TopicCounters()).published.incrementAndGet();
    List<MessageQueue> targets = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (Subscription s : subscriptions.values()) {
      if (!s.wants(name, msg, connection)) {
        continue;
      }
      MessageQueue q = s.queue();
      if (!q.hasRoomFor(msg.size())) {
        if (q.properties().overflowPolicy() == OverflowPolicy.REJECT_INCOMING) {
          throw full("subscription of topic", name, q.properties());
        }
        LOG.fine(() -> "subscription " + s.key() + " is full; message to " + name + " skipped");
        continue;
      }
      targets.add(q);
      if (q.persists(msg)) {
        keys.add(q.storeKey());
      }
    }
    long id = messageIds.incrementAndGet();
    StoreBatch.Add add =
        keys.isEmpty()
            ? null
            : new StoreBatch.Add(
                id,
                MessageCodec.encodeForStore(msg),
                msg.expiresAt(),
                keys,
                props.failsafe(),
                "topic:" + name,
                dupId(msg));
    return new Route(id, msg, targets, add);
  }

  private static String dupId(Message m) {
    String id = m.messageId();
    if (id != null && id.length() > MAX_DUP_ID_LENGTH) {
      LOG.fine(
          () ->
              "message id of "
                  + id.length()
                  + " characters is longer than "
                  + MAX_DUP_ID_LENGTH
                  + "; not used for duplicate detection");
      return null;
    }
    return id;
  }

  private Message applyExpiration(Message m, DestinationProperties props) {
    if (props.expiration().isZero()) {
      return m;
    }
    return m.withExpiry(context.clock().getAsLong() + props.expiration().toMillis());
  }

  private static BrokerException full(String what, String name, DestinationProperties props) {
    return new BrokerException(
        Category.RESOURCE_LIMIT,
        what
            + " '"
            + name
            + "' is full (maxmsgs="
            + props.maxMsgs()
            + ", maxbytes="
            + props.maxBytes()
            + ")");
  }

  /** Stores the route's message if needed, then makes it visible. */
  public CompletableFuture<Void> send(Route route) {
    if (route.add() == null) {
      route.apply();
      return CompletableFuture.completedFuture(null);
    }
    if (context.store().isDuplicate(route.add().destination(), route.add().producerMessageId())) {
      // a resend of a message already stored (e.g. after the client reconnected): acknowledge it
      // without storing or delivering a second copy
      LOG.fine(() -> "duplicate of " + route.add().producerMessageId() + " acknowledged");
      return CompletableFuture.completedFuture(null);
    }
    // held in memory until the store has it: counted, so that a slow disk stops producer credit
    long size = route.message().size();
    context.memory().acquire(size);
    return context
        .store()
        .write(new StoreBatch.Builder().add(route.add()).build())
        .thenRun(route::apply)
        .whenComplete((ok, failure) -> context.memory().release(size));
  }

  /** Starts a transaction whose sends may add up to {@code maxBytes} ({@code max_txn_size}). */
  public LocalTransaction transaction(long maxBytes) {
    return new LocalTransaction(context.store(), context.memory(), maxBytes);
  }

  @Override
  public void deadLetter(QueueEntry entry, String reason) {
    MessageQueue source = entry.queue();
    StoreBatch.Builder batch = new StoreBatch.Builder();
    if (source.persists(entry.message())) {
      batch.remove(
          new StoreBatch.Remove(
              source.storeKey(), entry.messageId(), source.properties().failsafe()));
    }
    MessageQueue dlq = queues.get(UNDELIVERED);
    if (source == dlq) {
      LOG.warning("message " + entry.messageId() + " dropped from " + UNDELIVERED + ": " + reason);
      context.store().write(batch.build());
      return;
    }
    Message moved = MessageCodec.annotateUndelivered(entry.message(), source.name(), reason);
    long id = messageIds.incrementAndGet();
    if (dlq.persists(moved)) {
      batch.add(
          new StoreBatch.Add(
              id,
              MessageCodec.encodeForStore(moved),
              0,
              List.of(dlq.storeKey()),
              dlq.properties().failsafe()));
    }
    LOG.info(
        "message "
            + entry.messageId()
            + " moved from "
            + source.name()
            + " to "
            + UNDELIVERED
            + ": "
            + reason);
    context.store().write(batch.build()).thenRun(() -> dlq.enqueue(moved, id, 0));
  }

  /**
   * Finds or creates the subscription a consumer asks for. Completes once a new durable
   * subscription is stored.
   */
  public CompletableFuture<Subscription> subscribe(SubscriptionRequest req) {
    DestinationProperties props = topic(req.topic());
    if (req.name() == null) {
      String key = "nd:" + temporaryIds.incrementAndGet();
      SubscriptionRecord r =
          new SubscriptionRecord(key, "", null, req.topic(), req.selector(), req.noLocal(), false);
      Subscription s = newSubscription(r, false, req.connection(), props);
      subscriptions.put(key, s);
      return CompletableFuture.completedFuture(s);
    }
    String clientId = req.clientId() == null ? "" : req.clientId();
    String key = (req.durable() ? "sub:" : "shared:") + clientId + ":" + req.name();
    synchronized (subscriptions) {
      Subscription existing = subscriptions.get(key);
      if (existing != null) {
        Optional<Subscription> reused = reuse(existing, req);
        if (reused.isPresent()) {
          return CompletableFuture.completedFuture(reused.get());
        }
      }
      SubscriptionRecord r =
          new SubscriptionRecord(
              key, clientId, req.name(), req.topic(), req.selector(), req.noLocal(), req.shared());
      Subscription s = newSubscription(r, req.durable(), req.connection(), props);
      subscriptions.put(key, s);
      if (!req.durable()) {
        return CompletableFuture.completedFuture(s);
      }
      StoreBatch.Builder batch = new StoreBatch.Builder();
      if (existing != null) {
        batch.deleteSubscription(key);
      }
      batch.subscription(r);
      return context.store().write(batch.build()).thenApply(v -> s);
    }
  }

  /** The existing subscription if the request may use it; empty if it must be replaced. */
  private Optional<Subscription> reuse(Subscription existing, SubscriptionRequest req) {
    int active = existing.queue().consumerCount();
    if (existing.shared() != req.shared()) {
      throw new BrokerException(
          Category.ILLEGAL_STATE,
          "subscription '"
              + req.name()
              + "' exists as "
              + (existing.shared() ? "shared" : "unshared"));
    }
    if (!existing.shared() && active > 0) {
      throw new BrokerException(
          Category.ILLEGAL_STATE,
          "durable subscription '" + req.name() + "' already has an active consumer");
    }
    if (existing.sameDefinition(req.topic(), req.selector(), req.noLocal())) {
      return Optional.of(existing);
    }
    if (active > 0) {
      throw new BrokerException(
          Category.ILLEGAL_STATE,
          "subscription '" + req.name() + "' is in use with a different topic or selector");
    }
    LOG.info("subscription " + existing.key() + " replaced: topic or selector changed");
    subscriptions.remove(existing.key());
    existing.queue().drop();
    return Optional.empty();
  }

  private Subscription newSubscription(SubscriptionRecord r, boolean durable, Object connection) {
    return newSubscription(
        r,
        durable,
        connection,
        topicRules.lookup(r.topic()).orElse(DestinationProperties.DEFAULTS));
  }

  private Subscription newSubscription(
      SubscriptionRecord r, boolean durable, Object connection, DestinationProperties props) {
    MessageQueue q =
        new MessageQueue(
            r.name() == null ? r.topic() : r.name(), durable ? r.key() : null, props, context);
    return new Subscription(r, durable, connection, q);
  }

  /** Called after a consumer of {@code s} detached: ends subscriptions nobody may use again. */
  public void consumerGone(Subscription s) {
    if (s.durable()) {
      return;
    }
    synchronized (subscriptions) {
      if (s.queue().consumerCount() == 0 && subscriptions.remove(s.key(), s)) {
        s.queue().drop();
      }
    }
  }

  /** The durable subscription {@code name} of {@code clientId}, if it exists. */
  public Optional<Subscription> durable(String clientId, String name) {
    return Optional.ofNullable(
        subscriptions.get("sub:" + (clientId == null ? "" : clientId) + ":" + name));
  }

  /** Deletes a durable subscription and its messages; refused while a consumer uses it. */
  public CompletableFuture<Void> unsubscribe(String clientId, String name) {
    Subscription s;
    synchronized (subscriptions) {
      s =
          durable(clientId, name)
              .orElseThrow(
                  () ->
                      new BrokerException(
                          Category.NOT_FOUND, "no durable subscription '" + name + "'"));
      if (s.queue().consumerCount() > 0) {
        throw new BrokerException(
            Category.ILLEGAL_STATE, "durable subscription '" + name + "' has an active consumer");
      }
      subscriptions.remove(s.key());
    }
    s.queue().drop();
    LOG.info("durable subscription " + s.key() + " deleted");
    return context.store().write(new StoreBatch.Builder().deleteSubscription(s.key()).build());
  }

  /** Creates a temporary queue or topic owned by {@code owner} (a connection). */
  public String createTemporary(DestinationKind kind, Object owner) {
    String name =
        temporaryPrefix
            + (kind == DestinationKind.QUEUE ? "queue." : "topic.")
            + temporaryIds.incrementAndGet();
    temporaries.put(name, owner);
    if (kind == DestinationKind.QUEUE) {
      queues.put(name, new MessageQueue(name, null, DestinationProperties.DEFAULTS, context));
    }
    return name;
  }

  /** Deletes a temporary destination and anything waiting in it. */
  public void deleteTemporary(String name) {
    if (temporaries.remove(name) == null) {
      return;
    }
    MessageQueue q = queues.remove(name);
    if (q != null) {
      q.drop();
    }
  }

  /** Deletes every temporary destination {@code owner} created. */
  public void deleteTemporaries(Object owner) {
    temporaries.entrySet().stream()
        .filter(e -> e.getValue() == owner)
        .map(Map.Entry::getKey)
        .toList()
        .forEach(this::deleteTemporary);
  }

  /** Counters of every queue, by name. */
  public List<QueueStats> queueStats() {
    return new TreeMap<>(queues).values().stream().map(MessageQueue::stats).toList();
  }

  /** Counters of every subscription, by key. */
  public List<SubscriptionStats> subscriptionStats() {
    return new TreeMap<>(subscriptions)
        .values().stream()
            .map(
                s ->
                    new SubscriptionStats(
                        s.key(),
                        s.topic(),
                        s.name(),
                        s.clientId(),
                        s.durable(),
                        s.shared(),
                        s.queue().stats()))
            .toList();
  }

  /** Topics seen (configured or published to) with their publish counts. */
  public Map<String, Long> topicCounters() {
    Map<String, Long> result = new TreeMap<>();
    topics.forEach((name, c) -> result.put(name, c.published.get()));
    return result;
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
    requireAdministrable(name, "queue");
    DestinationProperties props = properties(queueRules, name, settings);
    MessageQueue created = new MessageQueue(name, QUEUE_KEY + name, props, context);
    if (queues.putIfAbsent(name, created) != null) {
      throw new BrokerException(Category.ILLEGAL_STATE, "queue '" + name + "' already exists");
    }
    LOG.info("queue " + name + " created by an administrator");
    return created;
  }

  /** Removes every pending message of an existing queue; returns how many. */
  public int purgeQueue(String name) {
    int purged = existingQueue(name).purge();
    LOG.info("queue " + name + " purged by an administrator: " + purged + " messages");
    return purged;
  }

  /**
   * Deletes an existing queue and its pending messages; refused while consumers are attached. A
   * queue that queues.conf allows can be created again by the next producer or consumer.
   */
  public void deleteQueue(String name) {
    MessageQueue q = existingQueue(name);
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
    queues.remove(name, q);
    q.drop();
    LOG.info("queue " + name + " deleted by an administrator (" + purged + " messages dropped)");
  }

  /**
   * Creates the topic {@code name} on an administrator's request, like {@link #createQueue}.
   *
   * @throws BrokerException {@code INVALID_INPUT} for a bad name or property, {@code ILLEGAL_STATE}
   *     if the topic exists
   */
  public void createTopic(String name, String settings) {
    requireAdministrable(name, "topic");
    DestinationProperties props = properties(topicRules, name, settings);
    if (topics.containsKey(name) || createdTopics.putIfAbsent(name, props) != null) {
      throw new BrokerException(Category.ILLEGAL_STATE, "topic '" + name + "' already exists");
    }
    topics.computeIfAbsent(name, n -> new TopicCounters());
    LOG.info("topic " + name + " created by an administrator");
  }

  /** Deletes a topic nobody subscribes to; refused while it has subscriptions. */
  public void deleteTopic(String name) {
    if (!topics.containsKey(name)) {
      throw new BrokerException(Category.NOT_FOUND, "topic '" + name + "' does not exist");
    }
    long subs = subscriptions.values().stream().filter(s -> s.topic().equals(name)).count();
    if (subs > 0) {
      throw new BrokerException(
          Category.ILLEGAL_STATE,
          "topic '" + name + "' has " + subs + " subscriptions; unsubscribe them first");
    }
    topics.remove(name);
    createdTopics.remove(name);
    LOG.info("topic " + name + " deleted by an administrator");
  }

  private MessageQueue existingQueue(String name) {
    MessageQueue q = queues.get(name);
    if (q == null || temporaries.containsKey(name)) {
      throw new BrokerException(Category.NOT_FOUND, "queue '" + name + "' does not exist");
    }
    return q;
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

  /** Publish counter of one topic. */
  private static final class TopicCounters {
    final AtomicLong published = new AtomicLong();
  }
}
