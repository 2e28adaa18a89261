package io.tandem.broker.amqp;

import io.tandem.broker.BrokerException;
import io.tandem.broker.destination.DestinationKind;
import io.tandem.broker.destination.Destinations;
import io.tandem.broker.destination.MemoryBudget;
import io.tandem.broker.destination.Route;
import io.tandem.broker.message.Message;
import io.tandem.broker.message.MessageCodec;
import io.tandem.broker.security.Permission;
import java.util.logging.Logger;
import org.apache.qpid.proton.amqp.UnsignedLong;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.amqp.messaging.Target;
import org.apache.qpid.proton.amqp.transaction.TransactionalState;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.Receiver;

/**
 * A link on which a client sends messages: to one destination, or (anonymous relay) to the address
 * each message names. A send is settled only once its message is stored as durably as its
 * destination requires; failures come back as rejections naming the cause.
 */
final class ProducerLink implements LinkHandler {
  private static final Logger LOG = Logger.getLogger(ProducerLink.class.getName());
  private static final int CREDIT = 1000;

  /** Credit sizing assumes at least this per message: most messages are smaller. */
  private static final long MIN_SIZE_ESTIMATE = 4 * 1024;

  private final AmqpConnection connection;
  private final Receiver receiver;
  private final Address address;
  private final String temporary;
  private final Runnable resume;
  private boolean waitingForMemory;
  private boolean refused;
  private long sizeEstimate;

  private ProducerLink(
      AmqpConnection connection, Receiver receiver, Address address, String temporary) {
    this.connection = connection;
    this.receiver = receiver;
    this.address = address;
    this.temporary = temporary;
    this.resume = () -> connection.io().execute(this::replenish);
    // until the link's messages are seen, assume the largest allowed: a new link starts with a
    // small window that grows as its messages turn out smaller
    this.sizeEstimate = Math.max(MIN_SIZE_ESTIMATE, connection.services().maxMessageSize());
  }

  static void open(AmqpConnection connection, Receiver receiver) {
    Target remote = (Target) receiver.getRemoteTarget();
    Destinations destinations = connection.services().destinations();
    Address address = null;
    String temporary = null;
    Target local = new Target();
    if (remote != null && Boolean.TRUE.equals(remote.getDynamic())) {
      DestinationKind kind =
          AmqpSymbols.contains(remote.getCapabilities(), AmqpSymbols.TEMPORARY_TOPIC)
              ? DestinationKind.TOPIC
              : DestinationKind.QUEUE;
      temporary = connection.createTemporary(kind);
      address = new Address(kind, temporary);
      local.setAddress(temporary);
      local.setDynamic(true);
      local.setDynamicNodeProperties(remote.getDynamicNodeProperties());
    } else if (remote != null && remote.getAddress() != null) {
      address = Address.resolve(remote.getAddress(), remote.getCapabilities());
      connection.authorize(sendPermission(address), address.kind(), address.name());
      if (address.kind() == DestinationKind.QUEUE) {
        destinations.queue(address.name());
      } else {
        destinations.topic(address.name());
      }
      local.setAddress(remote.getAddress());
    }
    if (remote != null) {
      local.setCapabilities(remote.getCapabilities());
      local.setDurable(remote.getDurable());
      local.setExpiryPolicy(remote.getExpiryPolicy());
    }
    ProducerLink link = new ProducerLink(connection, receiver, address, temporary);
    receiver.setTarget(local);
    receiver.setSource(receiver.getRemoteSource());
    receiver.setMaxMessageSize(UnsignedLong.valueOf(connection.services().maxMessageSize()));
    receiver.setContext(link);
    receiver.open();
    link.replenish();
  }

  private static Permission sendPermission(Address a) {
    return a.kind() == DestinationKind.QUEUE ? Permission.SEND : Permission.PUBLISH;
  }

  private void replenish() {
    if (receiver.getContext() != this || refused) {
      return;
    }
    MemoryBudget memory = connection.services().memory();
    if (memory.exhausted()) {
      if (!waitingForMemory) {
        waitingForMemory = true;
        memory.onBelowLimit(resume);
        LOG.fine(() -> "producer on " + connection.remote() + " paused: max_msg_memory reached");
      }
      return;
    }
    if (waitingForMemory) {
      waitingForMemory = false;
      memory.removeListener(resume);
    }
    // credit is a message count; sized by the bytes left, so that what a producer may send on it
    // fits in max_msg_memory
    long window = Math.max(1, Math.min(CREDIT, memory.free() / sizeEstimate));
    int credit = receiver.getCredit();
    if (credit < window / 2 || credit == 0) {
      receiver.flow((int) (window - credit));
    }
  }

  /**
   * The estimate follows the largest recent message at once and decays by an eighth per smaller
   * message, so a producer that switches to large messages gets a small window immediately.
   */
  private void observeSize(long size) {
    sizeEstimate = Math.max(MIN_SIZE_ESTIMATE, Math.max(size, sizeEstimate - sizeEstimate / 8));
  }

  @Override
  public void onDelivery(Delivery d) {
    if (d.isAborted()) {
      d.settle();
      return;
    }
    if (refused) {
      discard(d);
      return;
    }
    long max = connection.services().maxMessageSize();
    if (d.isPartial()) {
      // checked on every transfer frame, so no more than max_msg_size (+ one frame) is buffered
      if (d.pending() > max) {
        tooLarge(d, max);
      }
      return;
    }
    byte[] data = new byte[d.pending()];
    receiver.recv(data, 0, data.length);
    receiver.advance();
    if (data.length > max) {
      tooLarge(d, max);
      return;
    }
    observeSize(data.length);
    accept(d, data);
    replenish();
  }

  private static BrokerException overCeiling() {
    return new BrokerException(
        BrokerException.Category.RESOURCE_LIMIT,
        "broker holds more than max_msg_memory of messages; send again later");
  }

  /**
   * Refuses the link: detaches it with {@code amqp:link:message-size-exceeded}, the condition AMQP
   * names for this. Bytes of the refused message that were already on their way are dropped as they
   * arrive.
   */
  private void tooLarge(Delivery d, long max) {
    LOG.warning(
        "link from "
            + connection.remote()
            + " detached: message larger than max_msg_size "
            + max
            + " bytes");
    refused = true;
    receiver.setCondition(
        new ErrorCondition(
            AmqpSymbols.MAX_MESSAGE_SIZE_EXCEEDED,
            "message larger than max_msg_size " + max + " bytes"));
    receiver.close();
    discard(d);
  }

  private void discard(Delivery d) {
    byte[] scratch = new byte[64 * 1024];
    while (d.pending() > 0) {
      receiver.recv(scratch, 0, scratch.length);
    }
    if (!d.isPartial()) {
      if (d == receiver.current()) {
        receiver.advance();
      }
      d.settle();
    }
  }

  private void accept(Delivery d, byte[] data) {
    DeliveryState state = d.getRemoteState();
    TransactionalState txn = state instanceof TransactionalState ts ? ts : null;
    try {
      if (connection.services().memory().overCeiling()) {
        throw overCeiling();
      }
      Message m = stamped(MessageCodec.decode(data, connection.services().clock().wallMillis()));
      Address target = address;
      if (target == null) {
        // anonymous relay: each message names its destination, so each is checked
        target = Address.forMessage(m.to(), m.destinationType());
        connection.authorize(sendPermission(target), target.kind(), target.name());
      }
      Route route =
          connection.services().destinations().route(target.kind(), target.name(), m, connection);
      if (txn != null) {
        connection.transaction(txn.getTxnId()).send(route);
        settle(d, txn, null);
        return;
      }
      connection
          .services()
          .destinations()
          .send(route)
          .whenComplete((ok, failure) -> connection.io().execute(() -> settle(d, null, failure)));
    } catch (BrokerException e) {
      if (txn != null && e.category() != BrokerException.Category.UNKNOWN_TRANSACTION) {
        // a refused send must not vanish from a transaction that then commits the rest
        connection.transaction(txn.getTxnId()).fail(e);
      }
      settle(d, txn, e);
    }
  }

  /**
   * The message with {@code user_id} (JMSXUserID) set to the authenticated user: a value the client
   * put there is replaced, and removed on an ANONYMOUS connection, so no consumer sees a user id
   * the broker did not check.
   */
  private Message stamped(Message m) {
    String user = connection.user();
    return java.util.Objects.equals(m.userId(), user) ? m : MessageCodec.withUserId(m, user);
  }

  private void settle(Delivery d, TransactionalState txn, Throwable failure) {
    if (d.remotelySettled()) {
      if (failure != null) {
        LOG.warning(
            "pre-settled message from "
                + connection.remote()
                + " dropped: "
                + AmqpErrors.unwrap(failure).getMessage());
      }
      d.settle();
      return;
    }
    DeliveryState outcome;
    if (failure == null) {
      outcome = Accepted.getInstance();
    } else {
      Rejected rejected = new Rejected();
      rejected.setError(AmqpErrors.condition(failure));
      outcome = rejected;
    }
    if (txn != null) {
      TransactionalState ts = new TransactionalState();
      ts.setTxnId(txn.getTxnId());
      ts.setOutcome((org.apache.qpid.proton.amqp.messaging.Outcome) outcome);
      outcome = ts;
    }
    d.disposition(outcome);
    d.settle();
  }

  @Override
  public void onClosed(boolean closedByPeer, boolean connectionLost) {
    if (waitingForMemory) {
      connection.services().memory().removeListener(resume);
    }
    if (temporary != null) {
      connection.services().destinations().deleteTemporary(temporary);
    }
  }
}
