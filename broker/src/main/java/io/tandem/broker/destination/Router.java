package io.tandem.broker.destination;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import io.tandem.broker.config.DestinationName;
import io.tandem.broker.config.DestinationProperties;
import io.tandem.broker.config.OverflowPolicy;
import io.tandem.broker.message.Message;
import io.tandem.broker.message.MessageCodec;
import io.tandem.broker.store.StoreBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * Works out where a sent message goes, refuses it when a destination is full, gives it its id and
 * its destination expiry, and sends it: stored first when it must be, visible after. Takes no lock
 * of its own; it reads the registries' concurrent maps and each target queue's monitor briefly.
 */
final class Router {
  private static final Logger LOG = Logger.getLogger(Destinations.class.getName());

  private final DestinationRegistry registry;
  private final Subscriptions subscriptions;
  private final QueueContext context;
  private final IdSource ids;

  Router(
      DestinationRegistry registry,
      Subscriptions subscriptions,
      QueueContext context,
      IdSource ids) {
    this.registry = registry;
    this.subscriptions = subscriptions;
    this.context = context;
    this.ids = ids;
  }

  /** Works out where {@code m}, sent to {@code name}, goes; checks limits; assigns its id. */
  Route route(DestinationKind kind, String name, Message m, ClientConnection connection) {
    return kind == DestinationKind.QUEUE
        ? routeToQueue(name, m)
        : routeToTopic(name, m, connection);
  }

  private Route routeToQueue(String name, Message m) {
    MessageQueue q = registry.queue(name);
    DestinationProperties props = q.properties();
    Message msg = applyExpiration(m, props);
    if (!q.hasRoomFor(msg.size())) {
      throw full("queue", name, props);
    }
    long id = ids.nextMessageId();
    StoreBatch.Add add =
        q.persists(msg)
            ? new StoreBatch.Add(
                id,
                MessageCodec.encodeForStore(msg),
                msg.expiresAt(),
                List.of(q.storeKey().text()),
                props.failsafe(),
                q.storeKey().text(),
                dupId(msg))
            : null;
    return new Route(id, msg, List.of(q), add);
  }

  private Route routeToTopic(String name, Message m, ClientConnection connection) {
    DestinationProperties props = registry.topic(name);
    if (DestinationName.isWildcard(name)) {
      throw new BrokerException(
          Category.INVALID_INPUT, "cannot publish to wildcard topic '" + name + "'");
    }
    Message msg = applyExpiration(m, props);
    registry.countPublished(name);
    List<MessageQueue> targets = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (Subscription s : subscriptions.all()) {
      if (!s.wants(name, msg, connection)) {
        continue;
      }
      MessageQueue q = s.queue();
      if (!q.hasRoomFor(msg.size())) {
        if (q.properties().overflowPolicy() == OverflowPolicy.REJECT_INCOMING) {
          throw full("subscription of topic", name, q.properties());
        }
        LOG.fine(
            () -> "subscription " + s.key().text() + " is full; message to " + name + " skipped");
        continue;
      }
      targets.add(q);
      if (q.persists(msg)) {
        keys.add(q.storeKey().text());
      }
    }
    long id = ids.nextMessageId();
    StoreBatch.Add add =
        keys.isEmpty()
            ? null
            : new StoreBatch.Add(
                id,
                MessageCodec.encodeForStore(msg),
                msg.expiresAt(),
                keys,
                props.failsafe(),
                new DestinationKey.Topic(name).text(),
                dupId(msg));
    return new Route(id, msg, targets, add);
  }

  private static String dupId(Message m) {
    String id = m.messageId();
    if (id != null && id.length() > Destinations.MAX_DUP_ID_LENGTH) {
      LOG.fine(
          () ->
              "message id of "
                  + id.length()
                  + " characters is longer than "
                  + Destinations.MAX_DUP_ID_LENGTH
                  + "; not used for duplicate detection");
      return null;
    }
    return id;
  }

  /** The destination's {@code expiration} property, counted in wall time from now. */
  private Message applyExpiration(Message m, DestinationProperties props) {
    if (props.expiration().isZero()) {
      return m;
    }
    return m.withExpiry(context.clock().wallMillis() + props.expiration().toMillis());
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
  CompletableFuture<Void> send(Route route) {
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
}
