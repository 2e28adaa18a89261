package io.tandem.broker.amqp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * First handler of every accepted socket: takes one of the {@code max_connections} slots from the
 * moment of accept, and closes the socket if it has not finished its handshake (AMQP header, SASL
 * and open; or the peer header and HELLO) within {@code handshake_timeout}. A socket that never
 * speaks thus cannot hold a slot, or a Proton transport, for longer than that. The timer runs on
 * the channel's event loop, which schedules by the monotonic clock.
 */
final class HandshakeTimeoutHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = Logger.getLogger(HandshakeTimeoutHandler.class.getName());

  private final ConnectionRegistry registry;
  private final Duration timeout;
  private ConnectionRegistry.Slot slot;
  private ScheduledFuture<?> timer;

  HandshakeTimeoutHandler(ConnectionRegistry registry, Duration timeout) {
    this.registry = registry;
    this.timeout = timeout;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    slot = registry.takeSlot();
    ctx.channel().closeFuture().addListener(f -> slot.release());
    timer = ctx.executor().schedule(() -> expire(ctx), timeout.toNanos(), TimeUnit.NANOSECONDS);
    ctx.fireChannelActive();
  }

  private void expire(ChannelHandlerContext ctx) {
    LOG.warning(
        "closing connection from "
            + ctx.channel().remoteAddress()
            + ": no handshake within "
            + timeout.toMillis()
            + " ms (handshake_timeout)");
    ctx.close();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof HandshakeDone done) {
      if (timer != null) {
        timer.cancel(false);
      }
      if (!done.keepsSlot()) {
        slot.release();
      }
      ctx.pipeline().remove(this);
      return;
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
    }
    ctx.fireChannelInactive();
  }
}
