package io.tandem.broker.destination;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import io.tandem.broker.config.DestinationProperties;
import io.tandem.broker.store.StoreBatch;
import io.tandem.broker.store.SubscriptionRecord;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The topic subscriptions, by key: made when a consumer subscribes, reused or replaced when a
 * consumer asks for a named one again, ended when nobody may use them any more. Durable ones are
 * stored before the consumer is told. The map is concurrent, so routing reads it without a lock;
 * {@link #lock} guards every check-then-change of it, and is taken before any queue's monitor.
 */
final class Subscriptions {
  private static final Logger LOG = Logger.getLogger(Destinations.class.getName());

  private final Object lock = new Object();
  private final Map<DestinationKey.SubscriptionKey, Subscription> subscriptions =
      new ConcurrentHashMap<>();
  private final DestinationRegistry registry;
  private final QueueContext context;
  private final IdSource ids;

  Subscriptions(DestinationRegistry registry, QueueContext context, IdSource ids) {
    this.registry = registry;
    this.context = context;
    this.ids = ids;
  }

  /** Every subscription now; a live view, read without the lock. */
  Collection<Subscription> all() {
    return subscriptions.values();
  }

  /** Rebuilds a stored durable subscription (its messages follow). */
  Subscription restore(SubscriptionRecord r) {
    DestinationKey.Durable key = new DestinationKey.Durable(r.clientId(), r.name());
    Subscription s = create(key, r, null, registry.storedTopic(r.topic()));
    subscriptions.put(key, s);
    return s;
  }

  /**
   * Finds or creates the subscription a consumer asks for. Completes once a new durable
   * subscription is stored.
   */
  CompletableFuture<Subscription> subscribe(SubscriptionRequest req) {
    DestinationProperties props = registry.topic(req.topic());
    if (req.name() == null) {
      DestinationKey.Unnamed key = new DestinationKey.Unnamed(ids.nextLocalId());
      SubscriptionRecord r =
          new SubscriptionRecord(
              key.text(), "", null, req.topic(), req.selector(), req.noLocal(), false);
      Subscription s = create(key, r, req.connection(), props);
      subscriptions.put(key, s);
      return CompletableFuture.completedFuture(s);
    }
    DestinationKey.SubscriptionKey key =
        DestinationKey.SubscriptionKey.named(req.durable(), req.clientId(), req.name());
    synchronized (lock) {
      Subscription existing = subscriptions.get(key);
      if (existing != null && reuseOrDrop(existing, req)) {
        return CompletableFuture.completedFuture(existing);
      }
      return createNamed(key, req, props, existing != null);
    }
  }

  /** Whether {@code existing} serves the request; if not, it is dropped to make way. */
  private boolean reuseOrDrop(Subscription existing, SubscriptionRequest req) {
    int active = existing.queue().consumerCount();
    if (SubscriptionReuse.decide(existing, active, req) == SubscriptionReuse.Decision.REUSE) {
      return true;
    }
    LOG.info("subscription " + existing.key().text() + " replaced: topic or selector changed");
    subscriptions.remove(existing.key());
    existing.queue().drop();
    return false;
  }

  private CompletableFuture<Subscription> createNamed(
      DestinationKey.SubscriptionKey key,
      SubscriptionRequest req,
      DestinationProperties props,
      boolean replacing) {
    String clientId = req.clientId() == null ? "" : req.clientId();
    SubscriptionRecord r =
        new SubscriptionRecord(
            key.text(),
            clientId,
            req.name(),
            req.topic(),
            req.selector(),
            req.noLocal(),
            req.shared());
    Subscription s = create(key, r, req.connection(), props);
    subscriptions.put(key, s);
    if (!s.durable()) {
      return CompletableFuture.completedFuture(s);
    }
    StoreBatch.Builder batch = new StoreBatch.Builder();
    if (replacing) {
      batch.deleteSubscription(key.text());
    }
    batch.subscription(r);
    return context.store().write(batch.build()).thenApply(v -> s);
  }

  private Subscription create(
      DestinationKey.SubscriptionKey key,
      SubscriptionRecord r,
      ClientConnection owner,
      DestinationProperties props) {
    DestinationKey storeKey = key instanceof DestinationKey.Durable ? key : null;
    String queueName = r.name() == null ? r.topic() : r.name();
    return new Subscription(key, r, owner, new MessageQueue(queueName, storeKey, props, context));
  }

  /** Called after a consumer of {@code s} detached: ends subscriptions nobody may use again. */
  void consumerGone(Subscription s) {
    if (s.durable()) {
      return;
    }
    synchronized (lock) {
      if (s.queue().consumerCount() == 0 && subscriptions.remove(s.key(), s)) {
        s.queue().drop();
      }
    }
  }

  /** The durable subscription {@code name} of {@code clientId}, if it exists. */
  Optional<Subscription> durable(String clientId, String name) {
    return Optional.ofNullable(
        subscriptions.get(new DestinationKey.Durable(clientId == null ? "" : clientId, name)));
  }

  /** Deletes a durable subscription and its messages; refused while a consumer uses it. */
  CompletableFuture<Void> unsubscribe(String clientId, String name) {
    Subscription s;
    synchronized (lock) {
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
    LOG.info("durable subscription " + s.key().text() + " deleted");
    return context
        .store()
        .write(new StoreBatch.Builder().deleteSubscription(s.key().text()).build());
  }

  /**
   * Runs {@code delete} if no subscription listens to exactly {@code topic}, holding the lock so
   * that no named subscription to it is made meanwhile.
   *
   * @throws BrokerException {@code ILLEGAL_STATE} if some do
   */
  void whenNoneOn(String topic, Runnable delete) {
    synchronized (lock) {
      long subs = subscriptions.values().stream().filter(s -> s.topic().equals(topic)).count();
      if (subs > 0) {
        throw new BrokerException(
            Category.ILLEGAL_STATE,
            "topic '" + topic + "' has " + subs + " subscriptions; unsubscribe them first");
      }
      delete.run();
    }
  }
}
