package io.tandem.broker.ft;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.tandem.broker.amqp.HandshakeDone;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Serves one backup: checks its HELLO (same server name, same store), then exchanges heartbeats
 * until either side goes away. A backup silent for {@code ft_activation} is disconnected.
 */
final class PrimaryPeerHandler extends SimpleChannelInboundHandler<String> {
  private static final Logger LOG = Logger.getLogger(PrimaryPeerHandler.class.getName());

  private final PeerAcceptor acceptor;
  private HeartbeatWatch watch;
  private ScheduledFuture<?> ticker;
  private String remote;

  PrimaryPeerHandler(PeerAcceptor acceptor) {
    this.acceptor = acceptor;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    remote = String.valueOf(ctx.channel().remoteAddress());
    ctx.fireChannelActive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, String text) {
    Optional<PeerLine> parsed = PeerLine.parse(text);
    if (parsed.isEmpty()) {
      refuse(ctx, "unexpected line from the peer");
      return;
    }
    PeerLine line = parsed.get();
    if (watch == null) {
      hello(ctx, line);
    } else if (line.verb().equals(PeerLine.HEARTBEAT)) {
      watch.heard(acceptor.nanoTime().getAsLong());
      acceptor.status().heard();
    }
  }

  private void hello(ChannelHandlerContext ctx, PeerLine line) {
    if (!line.verb().equals(PeerLine.HELLO)) {
      refuse(ctx, "expected HELLO, got " + line.verb());
      return;
    }
    String server = line.arg(0).orElse("");
    String storeId = line.arg(1).orElse("-");
    if (!server.equals(acceptor.server())) {
      refuse(
          ctx,
          "server names differ: this primary is '"
              + acceptor.server()
              + "', the backup is '"
              + server
              + "'");
      return;
    }
    if (!storeId.equals(acceptor.storeId())) {
      refuse(
          ctx,
          "store identity differs: the primary's store is "
              + acceptor.storeId()
              + ", the backup sees "
              + storeId
              + "; both must use the same shared store directory");
      return;
    }
    watch = new HeartbeatWatch(acceptor.activation(), acceptor.nanoTime().getAsLong());
    ctx.pipeline().fireUserEventTriggered(HandshakeDone.PEER);
    acceptor.status().connected(remote);
    ctx.writeAndFlush(PeerLine.welcome(acceptor.server(), acceptor.epoch()));
    long every = acceptor.heartbeat().toMillis();
    ticker =
        ctx.executor().scheduleAtFixedRate(() -> tick(ctx), every, every, TimeUnit.MILLISECONDS);
    LOG.info("backup paired from " + remote);
  }

  private void tick(ChannelHandlerContext ctx) {
    if (watch.expired(acceptor.nanoTime().getAsLong())) {
      LOG.warning(
          "backup at "
              + remote
              + " silent for "
              + watch.silentMillis(acceptor.nanoTime().getAsLong())
              + " ms; closing its link");
      ctx.close();
      return;
    }
    ctx.writeAndFlush(PeerLine.heartbeat());
  }

  private void refuse(ChannelHandlerContext ctx, String reason) {
    LOG.severe("refusing to pair with " + remote + ": " + reason);
    ctx.writeAndFlush(PeerLine.refused(reason)).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (ticker != null) {
      ticker.cancel(false);
    }
    if (watch != null) {
      acceptor.status().disconnected();
      LOG.warning("backup at " + remote + " disconnected");
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException) {
      LOG.warning("peer " + remote + " sent an over-long line; closing");
    } else {
      LOG.fine(() -> "peer link " + remote + ": " + cause);
    }
    ctx.close();
  }
}
