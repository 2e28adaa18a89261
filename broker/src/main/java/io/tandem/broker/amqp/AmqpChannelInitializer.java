package io.tandem.broker.amqp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;

/**
 * Builds the pipeline of an accepted AMQP connection. It needs no socket, so the same pipeline runs
 * over Netty's in-VM transport too.
 */
final class AmqpChannelInitializer extends ChannelInitializer<Channel> {
  private final AmqpServices services;

  AmqpChannelInitializer(AmqpServices services) {
    this.services = services;
  }

  @Override
  protected void initChannel(Channel ch) {
    ch.pipeline()
        .addLast(
            "handshake-timeout",
            new HandshakeTimeoutHandler(
                services.connections(), services.limits().handshakeTimeout()));
    if (services.peer() != null) {
      ch.pipeline().addLast("protocol", new ProtocolSelector(services, services.peer()));
    } else {
      ch.pipeline().addLast("amqp", new AmqpConnectionHandler(services));
    }
  }
}
