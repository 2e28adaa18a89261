package io.tandem.broker.amqp;

import io.tandem.broker.BrokerException;
import io.tandem.broker.destination.ClientConnection;
import io.tandem.broker.destination.DestinationKind;
import io.tandem.broker.destination.LocalTransaction;
import io.tandem.broker.security.Permission;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.transaction.Coordinator;
import org.apache.qpid.proton.amqp.transport.AmqpError;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.engine.Connection;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.EndpointState;
import org.apache.qpid.proton.engine.Event;
import org.apache.qpid.proton.engine.Link;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.engine.Sender;
import org.apache.qpid.proton.engine.Session;

/**
 * One client connection's protocol state: sessions, links, transactions and temporary destinations.
 * Runs only on the connection's event loop.
 */
final class AmqpConnection implements ClientConnection {
  private static final Logger LOG = Logger.getLogger(AmqpConnection.class.getName());

  private final AmqpConnectionHandler io;
  private final AmqpServices services;
  private final Connection connection;
  private final SaslHandler sasl;
  private final String remote;
  private final Set<Link> links = new LinkedHashSet<>();
  private final Map<Binary, LocalTransaction> transactions = new HashMap<>();
  private long nextTransactionId;
  private volatile String containerId = "";
  private volatile int sessionCount;
  private boolean registered;
  private boolean ended;

  /** The open was answered with a refusal: nothing the client sends after it is acted on. */
  private boolean refused;

  AmqpConnection(
      AmqpConnectionHandler io,
      AmqpServices services,
      Connection connection,
      SaslHandler sasl,
      String remote) {
    this.io = io;
    this.services = services;
    this.connection = connection;
    this.sasl = sasl;
    this.remote = remote;
  }

  String remote() {
    return remote;
  }

  String containerId() {
    return containerId;
  }

  AmqpConnectionHandler io() {
    return io;
  }

  AmqpServices services() {
    return services;
  }

  ConnectionRegistry.ConnectionInfo info() {
    return new ConnectionRegistry.ConnectionInfo(
        remote,
        containerId,
        sasl.user() == null ? "anonymous" : sasl.user(),
        sessionCount,
        links.size());
  }

  void handle(Event ev) {
    if (refused
        && ev.getType() != Event.Type.TRANSPORT_ERROR
        && ev.getType() != Event.Type.CONNECTION_REMOTE_CLOSE) {
      return;
    }
    switch (ev.getType()) {
      case CONNECTION_REMOTE_OPEN -> onOpen();
      case CONNECTION_REMOTE_CLOSE -> onRemoteClose();
      case SESSION_REMOTE_OPEN -> onSessionOpen(ev.getSession());
      case SESSION_REMOTE_CLOSE -> onSessionClose(ev.getSession());
      case LINK_REMOTE_OPEN -> onLinkOpen(ev.getLink());
      case LINK_REMOTE_DETACH -> onLinkEnd(ev.getLink(), false);
      case LINK_REMOTE_CLOSE -> onLinkEnd(ev.getLink(), true);
      case LINK_FLOW -> onFlow(ev.getLink());
      case DELIVERY -> onDelivery(ev.getDelivery());
      case TRANSPORT_ERROR ->
          LOG.warning("connection " + remote + ": " + describe(ev.getTransport().getCondition()));
      default -> {
        // other events need no action
      }
    }
  }

  private static String describe(ErrorCondition c) {
    return c == null ? "transport error" : c.getCondition() + " " + c.getDescription();
  }

  private void onOpen() {
    io.handshakeDone();
    containerId = connection.getRemoteContainer() == null ? "" : connection.getRemoteContainer();
    connection.setContainer(services.server());
    ErrorCondition refusal = authenticationProblem();
    if (refusal == null) {
      refusal = admissionProblem();
    }
    if (refusal != null) {
      refused = true;
      connection.setProperties(Map.of(AmqpSymbols.CONNECTION_OPEN_FAILED, true));
      connection.open();
      connection.setCondition(refusal);
      connection.close();
      LOG.warning("connection " + remote + " refused: " + refusal.getDescription());
      return;
    }
    services.connections().add(this);
    registered = true;
    connection.setOfferedCapabilities(
        new Symbol[] {
          AmqpSymbols.ANONYMOUS_RELAY, AmqpSymbols.SHARED_SUBS, AmqpSymbols.SOLE_CONNECTION
        });
    connection.setProperties(
        Map.of(AmqpSymbols.PRODUCT, "Tandem", AmqpSymbols.VERSION, BrokerVersion.VERSION));
    connection.open();
    LOG.fine(
        () -> "connection " + remote + " open, container " + containerId + ", user " + sasl.user());
  }

  /**
   * A client that skipped SASL is accepted exactly when ANONYMOUS would be; one that started SASL
   * reaches its open only after Proton saw a successful outcome, which is checked once more here.
   */
  private ErrorCondition authenticationProblem() {
    SaslHandler.Stage stage = sasl.stage();
    if (stage == SaslHandler.Stage.SUCCEEDED) {
      return null;
    }
    if (stage == SaslHandler.Stage.OFFERED && sasl.skipAllowed()) {
      return null;
    }
    return new ErrorCondition(
        AmqpError.UNAUTHORIZED_ACCESS,
        stage == SaslHandler.Stage.OFFERED
            ? "authentication required: this broker has a users file, so a client must"
                + " authenticate with SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or EXTERNAL)"
                + " before it opens"
            : "authentication did not complete");
  }

  /** The authenticated user, or {@code null} for ANONYMOUS or a client without SASL. */
  String user() {
    return sasl.user();
  }

  /** Whether this connection's user may use {@code name} for {@code permission}. */
  boolean permits(Permission permission, DestinationKind kind, String name) {
    boolean secure = services.destinations().secure(kind, name);
    return services.authenticator().access().permits(user(), permission, name, secure);
  }

  /**
   * Throws {@code UNAUTHORIZED} (sent to the client as {@code amqp:unauthorized-access}) naming the
   * permission and destination, and logs it, unless {@link #permits} holds.
   */
  void authorize(Permission permission, DestinationKind kind, String name) {
    if (permits(permission, kind, name)) {
      return;
    }
    String what =
        "user '"
            + (user() == null ? "anonymous" : user())
            + "' lacks permission '"
            + permission.configName()
            + "' on "
            + (kind == DestinationKind.QUEUE ? "queue" : "topic")
            + " '"
            + name
            + "'";
    LOG.warning("refused on connection " + remote + ": " + what);
    throw new BrokerException(BrokerException.Category.UNAUTHORIZED, what);
  }

  /**
   * Refuses to consume from a temporary destination another connection created: only its creator
   * may, whatever the mode.
   */
  void checkTemporaryOwner(DestinationKind kind, String name) {
    ClientConnection owner = services.destinations().temporaryOwner(name);
    if (owner == null || owner == this) {
      return;
    }
    String what =
        "temporary "
            + (kind == DestinationKind.QUEUE ? "queue" : "topic")
            + " '"
            + name
            + "' can be consumed only by the connection that created it";
    LOG.warning("refused on connection " + remote + ": " + what);
    throw new BrokerException(BrokerException.Category.UNAUTHORIZED, what);
  }

  private ErrorCondition admissionProblem() {
    int max = services.maxConnections();
    // this socket holds one of the slots itself, so more than max means over the limit
    if (max > 0 && services.connections().slotsTaken() > max) {
      return new ErrorCondition(
          AmqpError.RESOURCE_LIMIT_EXCEEDED, "broker accepts at most " + max + " connections");
    }
    boolean sole =
        AmqpSymbols.contains(
            connection.getRemoteDesiredCapabilities(), AmqpSymbols.SOLE_CONNECTION);
    if (sole && !services.connections().claimClientId(containerId, this)) {
      ErrorCondition c =
          new ErrorCondition(
              AmqpError.INVALID_FIELD, "client id '" + containerId + "' is already in use");
      c.setInfo(Map.of(AmqpSymbols.INVALID_FIELD, AmqpSymbols.CONTAINER_ID));
      return c;
    }
    return null;
  }

  private void onRemoteClose() {
    connection.close();
    endAll(false);
  }

  private void onSessionOpen(Session session) {
    int max = services.limits().maxSessions();
    if (sessionCount >= max) {
      // sessions are AMQP channels, and channel-max in our open told the client how many it may
      // use; one beyond that is a protocol violation, so the connection is closed with the reason
      LOG.warning(
          "connection " + remote + " closed: max_sessions_per_connection " + max + " exceeded");
      session.open();
      session.close();
      connection.setCondition(
          new ErrorCondition(
              AmqpError.RESOURCE_LIMIT_EXCEEDED,
              "connection opened more than " + max + " sessions (max_sessions_per_connection)"));
      connection.close();
      return;
    }
    session.open();
    sessionCount++;
  }

  private void onSessionClose(Session session) {
    for (Link link : links.toArray(new Link[0])) {
      if (link.getSession() == session) {
        endLink(link, false, false);
      }
    }
    session.close();
    sessionCount--;
  }

  private void onLinkOpen(Link link) {
    int max = services.limits().maxLinks();
    if (links.size() >= max) {
      LOG.warning("link on " + remote + " refused: max_links_per_connection " + max + " reached");
      refuseLink(
          link,
          new BrokerException(
              BrokerException.Category.RESOURCE_LIMIT,
              "connection has " + max + " links open (max_links_per_connection)"));
      return;
    }
    links.add(link);
    try {
      if (link instanceof Sender sender) {
        ConsumerLink.open(this, sender);
      } else if (link.getRemoteTarget() instanceof Coordinator) {
        link.setContext(new CoordinatorLink(this, (Receiver) link));
      } else {
        ProducerLink.open(this, (Receiver) link);
      }
    } catch (BrokerException e) {
      refuseLink(link, e);
    }
  }

  /** Answers an attach with no terminus and closes the link with {@code failure}. */
  void refuseLink(Link link, Throwable failure) {
    LOG.fine(
        () -> "link " + link.getName() + " on " + remote + " refused: " + failure.getMessage());
    if (link.getLocalState() == EndpointState.UNINITIALIZED) {
      if (link instanceof Sender) {
        link.setSource(null);
        link.setTarget(link.getRemoteTarget());
      } else {
        link.setTarget(null);
        link.setSource(link.getRemoteSource());
      }
      link.open();
    }
    link.setCondition(AmqpErrors.condition(failure));
    link.close();
    links.remove(link);
    link.setContext(null);
  }

  private void onLinkEnd(Link link, boolean closed) {
    endLink(link, closed, false);
    if (closed) {
      link.close();
    } else {
      link.detach();
    }
    // Both ends are done with the link: until it is freed, Proton keeps it in the session under its
    // name, and a new attach of that name in the same session finds it and is never answered. The
    // detach written above still goes out.
    link.free();
  }

  private void endLink(Link link, boolean closedByPeer, boolean lost) {
    links.remove(link);
    if (link.getContext() instanceof LinkHandler h) {
      link.setContext(null);
      h.onClosed(closedByPeer, lost);
    }
  }

  private void onFlow(Link link) {
    if (link.getContext() instanceof LinkHandler h) {
      h.onFlow();
    }
  }

  private void onDelivery(Delivery delivery) {
    if (delivery.getLink().getContext() instanceof LinkHandler h) {
      h.onDelivery(delivery);
    }
  }

  Binary declareTransaction() {
    int max = services.limits().maxTransactions();
    if (transactions.size() >= max) {
      LOG.warning(
          "transaction on " + remote + " refused: max_txns_per_connection " + max + " reached");
      throw new BrokerException(
          BrokerException.Category.RESOURCE_LIMIT,
          "connection has " + max + " transactions open (max_txns_per_connection)");
    }
    long id = ++nextTransactionId;
    Binary txnId = new Binary(java.nio.ByteBuffer.allocate(8).putLong(id).array());
    transactions.put(txnId, services.destinations().transaction(services.limits().maxTxnSize()));
    return txnId;
  }

  LocalTransaction transaction(Binary txnId) {
    LocalTransaction t = transactions.get(txnId);
    if (t == null) {
      throw new BrokerException(
          BrokerException.Category.UNKNOWN_TRANSACTION, "unknown transaction " + txnId);
    }
    return t;
  }

  LocalTransaction endTransaction(Binary txnId) {
    LocalTransaction t = transaction(txnId);
    transactions.remove(txnId);
    return t;
  }

  String createTemporary(DestinationKind kind) {
    return services.destinations().createTemporary(kind, this);
  }

  void closeWithError(Throwable failure) {
    connection.setCondition(AmqpErrors.condition(failure));
    connection.close();
  }

  /** The connection went away: nothing more can be sent, unsettled deliveries come back. */
  void connectionLost() {
    endAll(true);
  }

  private void endAll(boolean lost) {
    if (ended) {
      return;
    }
    ended = true;
    for (Link link : links.toArray(new Link[0])) {
      endLink(link, false, lost);
    }
    transactions.values().forEach(LocalTransaction::rollback);
    transactions.clear();
    services.destinations().deleteTemporaries(this);
    if (registered) {
      services.connections().remove(this);
    }
    LOG.fine(() -> "connection " + remote + (lost ? " lost" : " closed"));
  }
}
