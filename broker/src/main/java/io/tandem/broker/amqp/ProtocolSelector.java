package io.tandem.broker.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.logging.Logger;

/**
 * First handler of a connection on a broker that is part of a hot-warm pair: reads the protocol
 * header and hands the connection to AMQP or to the pair's peer protocol. Anything that is not the
 * peer header, however short or malformed, goes to AMQP, which answers it as it would without this
 * selector. When the pair runs its peer link over TLS, a peer header on a plain listener is refused
 * (closed, with a log line): a backup must dial an {@code amqps://} listener.
 */
final class ProtocolSelector extends ByteToMessageDecoder {
  private static final Logger LOG = Logger.getLogger(ProtocolSelector.class.getName());

  private final AmqpServices services;
  private final PeerService peer;
  private final boolean refusePeer;

  ProtocolSelector(AmqpServices services, PeerService peer) {
    this(services, peer, false);
  }

  ProtocolSelector(AmqpServices services, PeerService peer, boolean refusePeer) {
    this.services = services;
    this.peer = peer;
    this.refusePeer = refusePeer;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    // held back until the protocol is known, so that the chosen handler sees it
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int n = PeerService.HEADER.length;
    byte[] first = new byte[Math.min(n, in.readableBytes())];
    in.getBytes(in.readerIndex(), first);
    boolean couldBePeer =
        java.util.Arrays.equals(first, 0, first.length, PeerService.HEADER, 0, first.length);
    if (couldBePeer && first.length < n) {
      return;
    }
    if (couldBePeer && refusePeer) {
      LOG.warning(
          "refusing a peer connection from "
              + ctx.channel().remoteAddress()
              + " on a plain listener: this pair runs its peer link over TLS (ft_active ="
              + " amqps://...)");
      in.skipBytes(in.readableBytes());
      ctx.close();
      return;
    }
    if (couldBePeer) {
      in.skipBytes(n);
      peer.initPeerChannel(ctx.pipeline());
    } else {
      ctx.pipeline().addLast("amqp", new AmqpConnectionHandler(services));
    }
    ctx.fireChannelActive();
    ctx.pipeline().remove(this);
  }
}
