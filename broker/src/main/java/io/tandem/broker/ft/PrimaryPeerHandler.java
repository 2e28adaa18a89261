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
 * Serves one backup: with peer authentication, first the primary's half of {@link
 * PeerAuthentication}; then checks its HELLO (same server name, same store) and exchanges
 * heartbeats until either side goes away. A backup silent for {@code ft_activation} is
 * disconnected. Nothing but a refusal and a log line comes of a connection that does not
 * authenticate: it is not shown as the peer and holds a handshake slot until it is closed.
 */
final class PrimaryPeerHandler extends SimpleChannelInboundHandler<String> {
  private static final Logger LOG = Logger.getLogger(PrimaryPeerHandler.class.getName());

  /** What the handler waits for; moves only forward. */
  private enum Stage {
    /** The backup's AUTH (peer authentication required). */
    AUTH,
    /** The backup's PROOF. */
    PROOF,
    /** The backup's HELLO: sealed after authentication, plain without it. */
    HELLO,
    /** Paired: heartbeats both ways. */
    PAIRED,
    /** Refused or closed: the rest of the input is ignored. */
    DONE
  }

  private final PeerAcceptor acceptor;
  private Stage stage;
  private PeerAuthentication.Primary auth;
  private LineSeal seal = LineSeal.none();
  private HeartbeatWatch watch;
  private ScheduledFuture<?> ticker;
  private String remote;

  PrimaryPeerHandler(PeerAcceptor acceptor) {
    this.acceptor = acceptor;
    this.stage = acceptor.credentials() == null ? Stage.HELLO : Stage.AUTH;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    remote = String.valueOf(ctx.channel().remoteAddress());
    ctx.fireChannelActive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, String text) {
    if (stage == Stage.DONE) {
      return;
    }
    Optional<String> opened = seal.open(text);
    if (opened.isEmpty()) {
      unsealed(ctx, text);
      return;
    }
    Optional<PeerLine> parsed = PeerLine.parse(opened.get());
    if (parsed.isEmpty()) {
      refuse(ctx, "unexpected line from the peer");
      return;
    }
    PeerLine line = parsed.get();
    switch (stage) {
      case AUTH -> challenge(ctx, line);
      case PROOF -> verify(ctx, line);
      case HELLO -> hello(ctx, line);
      case PAIRED -> {
        if (line.verb().equals(PeerLine.HEARTBEAT)) {
          watch.heard(acceptor.nanoTime().getAsLong());
          acceptor.status().heard();
        }
      }
      default -> {
        // DONE: returned above
      }
    }
  }

  private void challenge(ChannelHandlerContext ctx, PeerLine line) {
    if (line.verb().equals(PeerLine.HELLO)) {
      refuse(
          ctx,
          "the backup does not authenticate, and this primary requires it (authorization ="
              + " enabled)");
      return;
    }
    auth = PeerAuthentication.primary(acceptor.credentials().get());
    String reply = auth.challenge(line);
    if (reply == null) {
      refuseAuthentication(ctx, auth.failure());
      return;
    }
    stage = Stage.PROOF;
    ctx.writeAndFlush(reply);
  }

  private void verify(ChannelHandlerContext ctx, PeerLine line) {
    String reply = auth.verify(line);
    if (reply == null) {
      refuseAuthentication(ctx, auth.failure());
      return;
    }
    ctx.writeAndFlush(reply);
    seal = auth.seal();
    stage = Stage.HELLO;
  }

  /** A line whose seal does not hold: the backup refused this primary's proof, or a forgery. */
  private void unsealed(ChannelHandlerContext ctx, String text) {
    Optional<PeerLine> plain = PeerLine.parse(text);
    stage = Stage.DONE;
    if (plain.isPresent() && plain.get().verb().equals(PeerLine.REFUSED) && watch == null) {
      LOG.severe(
          "the backup at "
              + remote
              + " refused this primary's proof of the pair's password: "
              + plain.get().args()
              + " (do both members have the same password and users entry?)");
    } else {
      LOG.severe("closing the peer link " + remote + ": a line without a valid seal");
    }
    ctx.close();
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
      // neither identity is echoed: the store id is for the members, not for whoever connects
      refuse(
          ctx,
          "store identity differs: the two members see different store directories; both must"
              + " use the same shared store (compare store.id in each member's store directory)");
      return;
    }
    stage = Stage.PAIRED;
    watch = new HeartbeatWatch(acceptor.activation(), acceptor.nanoTime().getAsLong());
    ctx.pipeline().fireUserEventTriggered(HandshakeDone.PEER);
    acceptor.status().connected(remote);
    ctx.writeAndFlush(seal.seal(PeerLine.welcome(acceptor.server(), acceptor.epoch())));
    long every = acceptor.heartbeat().toMillis();
    ticker =
        ctx.executor().scheduleAtFixedRate(() -> tick(ctx), every, every, TimeUnit.MILLISECONDS);
    LOG.info(
        "backup paired from " + remote + (seal.active() ? " (it proved the pair's password)" : ""));
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
    ctx.writeAndFlush(seal.seal(PeerLine.heartbeat()));
  }

  /** Refuses a peer that failed authentication: the details stay in this log. */
  private void refuseAuthentication(ChannelHandlerContext ctx, String reason) {
    boolean wrongName = reason.startsWith("server names differ");
    LOG.severe(
        "refusing to pair with "
            + remote
            + ": authentication failed: "
            + reason
            + " (it is not shown as the peer)");
    stage = Stage.DONE;
    String told = wrongName ? reason : "authentication failed";
    ctx.writeAndFlush(PeerLine.refused(told)).addListener(ChannelFutureListener.CLOSE);
  }

  private void refuse(ChannelHandlerContext ctx, String reason) {
    LOG.severe("refusing to pair with " + remote + ": " + reason);
    stage = Stage.DONE;
    ctx.writeAndFlush(seal.seal(PeerLine.refused(reason))).addListener(ChannelFutureListener.CLOSE);
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
