package io.tandem.broker.amqp;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;

/** Builds the pipeline of an accepted AMQP connection. */
final class AmqpChannelInitializer extends ChannelInitializer<SocketChannel> {
  private final AmqpServices services;

  AmqpChannelInitializer(AmqpServices services) {
    this.services = services;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
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
