package io.tandem.broker.amqp;

import io.tandem.broker.BrokerException;
import io.tandem.broker.destination.ConsumerSink;
import io.tandem.broker.destination.DestinationKind;
import io.tandem.broker.destination.Destinations;
import io.tandem.broker.destination.MessageQueue;
import io.tandem.broker.destination.Outcome;
import io.tandem.broker.destination.QueueConsumer;
import io.tandem.broker.destination.QueueEntry;
import io.tandem.broker.destination.Subscription;
import io.tandem.broker.destination.SubscriptionRequest;
import io.tandem.broker.message.MessageCodec;
import io.tandem.broker.security.Permission;
import io.tandem.broker.selector.Selector;
import io.tandem.broker.selector.SelectorException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.DescribedType;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.Modified;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.amqp.messaging.Released;
import org.apache.qpid.proton.amqp.messaging.Source;
import org.apache.qpid.proton.amqp.messaging.TerminusDurability;
import org.apache.qpid.proton.amqp.messaging.TerminusExpiryPolicy;
import org.apache.qpid.proton.amqp.transaction.TransactionalState;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.amqp.transport.SenderSettleMode;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.Sender;

/**
 * A link on which the broker sends messages to a client: a queue consumer, a queue browser or a
 * topic subscriber. Implements {@link ConsumerSink}, hopping to the connection's event loop.
 */
final class ConsumerLink implements LinkHandler, ConsumerSink {
  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(ConsumerLink.class.getName());

  private final AmqpConnection connection;
  private final Sender sender;
  private final MessageQueue queue;
  private final Subscription subscription;
  private final QueueConsumer consumer;
  private final boolean presettled;
  private final String temporary;
  private long nextTag;

  private ConsumerLink(
      AmqpConnection connection,
      Sender sender,
      MessageQueue queue,
      Subscription subscription,
      Selector selector,
      boolean browser,
      String temporary) {
    this.connection = connection;
    this.sender = sender;
    this.queue = queue;
    this.subscription = subscription;
    this.presettled = sender.getRemoteSenderSettleMode() == SenderSettleMode.SETTLED;
    this.consumer = new QueueConsumer(this, selector, browser, connection);
    this.temporary = temporary;
  }

  /** Handles a client's attach of a receiving link. */
  static void open(AmqpConnection connection, Sender sender) {
    Source remote = (Source) sender.getRemoteSource();
    Destinations destinations = connection.services().destinations();
    if (remote == null) {
      reattachDurable(connection, sender);
      return;
    }
    Filters filters = Filters.read(remote);
    String temporary = null;
    Address address;
    if (Boolean.TRUE.equals(remote.getDynamic())) {
      DestinationKind kind =
          AmqpSymbols.contains(remote.getCapabilities(), AmqpSymbols.TEMPORARY_TOPIC)
              ? DestinationKind.TOPIC
              : DestinationKind.QUEUE;
      temporary = connection.createTemporary(kind);
      address = new Address(kind, temporary);
    } else {
      address = Address.resolve(remote.getAddress(), remote.getCapabilities());
      connection.checkTemporaryOwner(address.kind(), address.name());
    }
    if (address.kind() == DestinationKind.QUEUE) {
      boolean browser = AmqpSymbols.COPY.equals(remote.getDistributionMode());
      connection.authorize(
          browser ? Permission.BROWSE : Permission.RECEIVE, DestinationKind.QUEUE, address.name());
      MessageQueue q = destinations.queue(address.name());
      ConsumerLink link =
          new ConsumerLink(connection, sender, q, null, filters.selector(), browser, temporary);
      link.attach(remote, address, filters);
      return;
    }
    SubscriptionRequest request = subscriptionRequest(connection, sender, remote, address, filters);
    connection.authorize(
        subscribePermission(destinations, request), DestinationKind.TOPIC, address.name());
    String tmp = temporary;
    destinations
        .subscribe(request)
        .whenComplete(
            (sub, failure) ->
                connection
                    .io()
                    .execute(
                        () -> {
                          if (failure != null) {
                            connection.refuseLink(sender, AmqpErrors.unwrap(failure));
                            return;
                          }
                          ConsumerLink link =
                              new ConsumerLink(
                                  connection, sender, sub.queue(), sub, null, false, tmp);
                          link.attach(remote, address, filters);
                        }));
  }

  /**
   * {@code subscribe} for a non-durable subscription; for a durable one, {@code use_durable} to
   * consume an existing subscription as it is, {@code durable} to create one or to replace it with
   * another topic or selector.
   */
  private static Permission subscribePermission(Destinations destinations, SubscriptionRequest r) {
    if (!r.durable()) {
      return Permission.SUBSCRIBE;
    }
    Optional<Subscription> existing = destinations.durable(r.clientId(), r.name());
    boolean same =
        existing.isPresent()
            && existing.get().topic().equals(r.topic())
            && java.util.Objects.equals(existing.get().selectorText(), r.selector());
    return same ? Permission.USE_DURABLE : Permission.DURABLE;
  }

  private static SubscriptionRequest subscriptionRequest(
      AmqpConnection connection, Sender sender, Source remote, Address address, Filters filters) {
    boolean durable = remote.getDurable() != null && remote.getDurable() != TerminusDurability.NONE;
    boolean shared = AmqpSymbols.contains(remote.getCapabilities(), AmqpSymbols.SHARED);
    boolean global = AmqpSymbols.contains(remote.getCapabilities(), AmqpSymbols.GLOBAL);
    String name = null;
    if (durable || shared) {
      name = subscriptionName(sender.getName());
    }
    String clientId = global ? "" : connection.containerId();
    return new SubscriptionRequest(
        address.name(),
        clientId,
        name,
        filters.selectorText(),
        filters.noLocal(),
        durable,
        shared,
        connection);
  }

  /**
   * Qpid JMS names links {@code name}, {@code name|2}, {@code name|global}, {@code name|volatile1}.
   */
  static String subscriptionName(String linkName) {
    int bar = linkName.indexOf('|');
    return bar < 0 ? linkName : linkName.substring(0, bar);
  }

  /**
   * An attach without a source looks up an existing durable subscription by link name (Qpid JMS
   * does this to unsubscribe). Found: answer with its source; closing the link then deletes it.
   */
  private static void reattachDurable(AmqpConnection connection, Sender sender) {
    String name = subscriptionName(sender.getName());
    boolean global = sender.getName().endsWith("|global");
    String clientId = global ? "" : connection.containerId();
    Optional<Subscription> found = connection.services().destinations().durable(clientId, name);
    if (found.isEmpty()) {
      connection.refuseLink(
          sender,
          new BrokerException(
              BrokerException.Category.NOT_FOUND, "no durable subscription '" + name + "'"));
      return;
    }
    Subscription s = found.get();
    // this link exists to delete the subscription when it is closed
    connection.authorize(Permission.DURABLE, DestinationKind.TOPIC, s.topic());
    Source source = new Source();
    source.setAddress(s.topic());
    source.setCapabilities(AmqpSymbols.TOPIC);
    source.setDurable(TerminusDurability.UNSETTLED_STATE);
    source.setExpiryPolicy(TerminusExpiryPolicy.NEVER);
    sender.setSource(source);
    sender.setTarget(sender.getRemoteTarget());
    sender.setContext(new UnsubscribeLink(connection, clientId, name));
    sender.open();
  }

  private void attach(Source remote, Address address, Filters filters) {
    Source local = new Source();
    local.setAddress(temporary != null ? temporary : remote.getAddress());
    local.setDynamic(remote.getDynamic());
    local.setCapabilities(remote.getCapabilities());
    local.setDurable(remote.getDurable());
    local.setExpiryPolicy(remote.getExpiryPolicy());
    local.setDistributionMode(remote.getDistributionMode());
    local.setFilter(filters.accepted());
    local.setOutcomes(remote.getOutcomes());
    local.setDefaultOutcome(remote.getDefaultOutcome());
    sender.setSource(local);
    sender.setTarget(sender.getRemoteTarget());
    sender.setContext(this);
    sender.open();
    queue.addConsumer(consumer);
    onFlow();
  }

  @Override
  public void onFlow() {
    queue.flow(consumer, sender.getCredit(), sender.getDrain());
  }

  @Override
  public void dispatch(QueueEntry entry, boolean browse) {
    connection.io().execute(() -> send(entry, browse));
  }

  private void send(QueueEntry entry, boolean browse) {
    consumer.sent();
    if (sender.getContext() != this) {
      return;
    }
    int count = entry.deliveryCount();
    byte[] data = MessageCodec.encodeForDelivery(entry.message(), count, false);
    byte[] tag = Long.toString(nextTag++, 36).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Delivery d = sender.delivery(tag);
    sender.send(data, 0, data.length);
    if (browse || presettled) {
      d.settle();
      if (!browse) {
        queue.settle(entry, Outcome.ACCEPTED);
      }
    } else {
      d.setContext(entry);
    }
    sender.advance();
  }

  @Override
  public void drained() {
    connection
        .io()
        .execute(
            () -> {
              if (sender.getContext() == this) {
                sender.drained();
              }
            });
  }

  @Override
  public void onDelivery(Delivery d) {
    if (!(d.getContext() instanceof QueueEntry entry)) {
      if (d.remotelySettled()) {
        d.settle();
      }
      return;
    }
    DeliveryState state = d.getRemoteState();
    if (state == null && !d.remotelySettled()) {
      return;
    }
    d.setContext(null);
    if (state instanceof TransactionalState ts) {
      settleTransactional(entry, ts);
      d.settle();
      return;
    }
    CompletableFuture<Void> stored = queue.settle(entry, outcome(state));
    if (d.remotelySettled()) {
      d.settle();
      return;
    }
    // The client waits for our settlement: confirm an acknowledgement only once its removal is
    // as durable as the destination promises (flushed, for failsafe queues).
    stored.whenComplete(
        (ok, failure) ->
            connection
                .io()
                .execute(
                    () -> {
                      if (failure != null) {
                        LOG.warning(
                            "acknowledgement of message "
                                + entry.messageId()
                                + " not stored, left unsettled: "
                                + failure.getMessage());
                        return;
                      }
                      d.disposition(state);
                      d.settle();
                    }));
  }

  private void settleTransactional(QueueEntry entry, TransactionalState ts) {
    Binary txnId = ts.getTxnId();
    try {
      if (ts.getOutcome() instanceof Accepted || ts.getOutcome() == null) {
        connection.transaction(txnId).accept(entry);
      } else {
        queue.settle(entry, outcome((DeliveryState) ts.getOutcome()));
      }
    } catch (BrokerException e) {
      queue.settle(entry, Outcome.MODIFIED_FAILED);
    }
  }

  private static Outcome outcome(DeliveryState state) {
    if (state == null || state instanceof Accepted) {
      return Outcome.ACCEPTED;
    }
    if (state instanceof Released) {
      return Outcome.RELEASED;
    }
    if (state instanceof Rejected) {
      return Outcome.REJECTED;
    }
    if (state instanceof Modified m) {
      if (Boolean.TRUE.equals(m.getUndeliverableHere())) {
        return Outcome.MODIFIED_UNDELIVERABLE;
      }
      return Boolean.TRUE.equals(m.getDeliveryFailed())
          ? Outcome.MODIFIED_FAILED
          : Outcome.RELEASED;
    }
    return Outcome.MODIFIED_FAILED;
  }

  @Override
  public void onClosed(boolean closedByPeer, boolean connectionLost) {
    // A client that ends a link settles what its application saw (Qpid JMS sends modified for
    // those); the rest were never seen. After a lost connection nobody can tell, so count them.
    queue.removeConsumer(consumer, connectionLost);
    if (subscription != null) {
      Destinations destinations = connection.services().destinations();
      destinations.consumerGone(subscription);
      if (closedByPeer && subscription.durable() && !subscription.shared()) {
        // closing (not detaching) a durable link destroys its terminus: the subscription ends,
        // if this user may delete it
        if (connection.permits(Permission.DURABLE, DestinationKind.TOPIC, subscription.topic())) {
          destinations.unsubscribe(subscription.clientId(), subscription.name());
        } else {
          LOG.warning(
              "durable subscription '"
                  + subscription.name()
                  + "' kept: its link was closed by a user without permission 'durable' on topic '"
                  + subscription.topic()
                  + "'");
        }
      }
    }
    if (temporary != null) {
      connection.services().destinations().deleteTemporary(temporary);
    }
  }

  /** The selector and no-local filters a consumer asked for. */
  record Filters(
      Selector selector, String selectorText, boolean noLocal, Map<Symbol, Object> accepted) {
    static Filters read(Source source) {
      Map<Symbol, Object> accepted = new HashMap<>();
      String text = null;
      boolean noLocal = false;
      Map<?, ?> filter = source.getFilter();
      if (filter != null) {
        for (Map.Entry<?, ?> e : filter.entrySet()) {
          if (!(e.getKey() instanceof Symbol)) {
            // AMQP's filter-set is a map from symbols; anything else is a broken client
            throw new BrokerException(
                BrokerException.Category.INVALID_INPUT,
                "source filter key " + describe(e.getKey()) + " is not a symbol");
          }
          if (!(e.getValue() instanceof DescribedType dt)) {
            continue;
          }
          Object d = dt.getDescriptor();
          if (AmqpSymbols.SELECTOR_FILTER.equals(d) || AmqpSymbols.SELECTOR_FILTER_CODE.equals(d)) {
            if (!(dt.getDescribed() instanceof String selectorText)) {
              throw new BrokerException(
                  BrokerException.Category.INVALID_INPUT,
                  "selector filter holds " + describe(dt.getDescribed()) + ", not a string");
            }
            text = selectorText;
            accepted.put((Symbol) e.getKey(), dt);
          } else if (AmqpSymbols.NO_LOCAL_FILTER.equals(d)
              || AmqpSymbols.NO_LOCAL_FILTER_CODE.equals(d)) {
            noLocal = true;
            accepted.put((Symbol) e.getKey(), dt);
          }
        }
      }
      Selector selector = null;
      if (text != null && !text.isBlank()) {
        try {
          selector = Selector.parse(text);
        } catch (SelectorException e) {
          throw new BrokerException(BrokerException.Category.INVALID_INPUT, e.getMessage(), e);
        }
      } else {
        text = null;
      }
      return new Filters(selector, text, noLocal, accepted.isEmpty() ? null : accepted);
    }

    private static String describe(Object value) {
      return value == null ? "null" : "of type " + value.getClass().getSimpleName();
    }
  }
}
