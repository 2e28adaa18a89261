package io.tandem.broker.amqp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.tandem.broker.tls.ServerTls;
import io.tandem.broker.tls.TlsHandshakeHandler;

/**
 * Builds the pipeline of an accepted AMQP connection. On an {@code amqps://} listener TLS comes
 * first, so every handler after it, the protocol selector included, sees plain bytes, and the
 * handshake timeout runs from accept and covers the TLS handshake. It needs no socket, so the same
 * pipeline runs over Netty's in-VM transport too.
 */
final class AmqpChannelInitializer extends ChannelInitializer<Channel> {
  private final AmqpServices services;
  private final ServerTls tls;
  private final boolean peerOverTlsOnly;

  AmqpChannelInitializer(AmqpServices services) {
    this(services, null, false);
  }

  /**
   * @param tls this listener's TLS, or {@code null} on a plain listener
   * @param peerOverTlsOnly whether a peer header on a plain listener is refused
   */
  AmqpChannelInitializer(AmqpServices services, ServerTls tls, boolean peerOverTlsOnly) {
    this.services = services;
    this.tls = tls;
    this.peerOverTlsOnly = peerOverTlsOnly;
  }

  @Override
  protected void initChannel(Channel ch) {
    if (tls != null) {
      ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
      ch.pipeline().addLast("tls-handshake", new TlsHandshakeHandler());
    }
    ch.pipeline()
        .addLast(
            "handshake-timeout",
            new HandshakeTimeoutHandler(
                services.connections(), services.limits().handshakeTimeout()));
    if (services.peer() != null) {
      boolean refusePeer = peerOverTlsOnly && tls == null;
      ch.pipeline()
          .addLast("protocol", new ProtocolSelector(services, services.peer(), refusePeer));
    } else {
      ch.pipeline().addLast("amqp", new AmqpConnectionHandler(services));
    }
  }
}
