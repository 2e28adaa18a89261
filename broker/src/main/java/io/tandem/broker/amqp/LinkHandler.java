package io.tandem.broker.amqp;

import org.apache.qpid.proton.engine.Delivery;

/** What a link needs to react to; attached to the Proton link as its context. */
interface LinkHandler {

  /** The peer changed credit or drain (sender links). */
  default void onFlow() {}

  /** A transfer arrived (receiver links) or a disposition changed (sender links). */
  void onDelivery(Delivery delivery);

  /**
   * The link ended. {@code closedByPeer} is true when the peer closed (not just detached) it;
   * {@code connectionLost} when the connection went away without a goodbye.
   */
  void onClosed(boolean closedByPeer, boolean connectionLost);
}
