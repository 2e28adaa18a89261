package io.tandem.broker.amqp;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.qpid.proton.engine.Delivery;

/** A link that re-attached to a durable subscription without consuming: closing it unsubscribes. */
final class UnsubscribeLink implements LinkHandler {
  private static final Logger LOG = Logger.getLogger(UnsubscribeLink.class.getName());
  private final AmqpConnection connection;
  private final String clientId;
  private final String name;

  UnsubscribeLink(AmqpConnection connection, String clientId, String name) {
    this.connection = connection;
    this.clientId = clientId;
    this.name = name;
  }

  @Override
  public void onDelivery(Delivery delivery) {
    // nothing is ever sent on this link
  }

  @Override
  public void onClosed(boolean closedByPeer, boolean connectionLost) {
    if (!closedByPeer) {
      return;
    }
    try {
      connection.services().destinations().unsubscribe(clientId, name);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "unsubscribe of '" + name + "' failed: " + e.getMessage());
    }
  }
}
