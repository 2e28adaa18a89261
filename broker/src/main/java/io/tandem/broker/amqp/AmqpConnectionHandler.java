package io.tandem.broker.amqp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.tandem.broker.security.CertificateUser;
import io.tandem.broker.tls.TlsChannels;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.engine.Collector;
import org.apache.qpid.proton.engine.Connection;
import org.apache.qpid.proton.engine.Event;
import org.apache.qpid.proton.engine.Sasl;
import org.apache.qpid.proton.engine.Transport;

/**
 * Pumps bytes between one Netty channel and its Proton transport, runs the resulting engine events
 * through {@link AmqpConnection}, and keeps the idle-timeout clock ticking. A protocol error closes
 * this connection only.
 */
final class AmqpConnectionHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = Logger.getLogger(AmqpConnectionHandler.class.getName());

  private final AmqpServices services;

  /** Proton treats 0 as "no deadline", so its clock starts at 1 ms from this reading. */
  private final long clockBase;

  private ChannelHandlerContext ctx;
  private Transport transport;
  private Collector collector;
  private AmqpConnection amqp;
  private ScheduledFuture<?> tick;
  private boolean flushScheduled;
  private boolean closed;

  /** Proton has failed on the peer's bytes: close once what it still has to say is written. */
  private boolean protocolFailed;

  private Sasl sasl;
  private SaslHandler saslHandler;
  private boolean offered;

  AmqpConnectionHandler(AmqpServices services) {
    this.services = services;
    this.clockBase = services.clock().nanos();
  }

  @Override
  public void channelActive(ChannelHandlerContext context) {
    this.ctx = context;
    String remote = String.valueOf(context.channel().remoteAddress());
    transport = Proton.transport();
    transport.setMaxFrameSize(services.maxFrameSize());
    transport.setIdleTimeout((int) services.idleTimeout().toMillis());
    // channels are numbered from 0, so this announces max_sessions_per_connection in the open
    transport.setChannelMax(services.limits().maxSessions() - 1);
    sasl = transport.sasl();
    sasl.server();
    // a client without SASL gets as far as its open, where AmqpConnection accepts it exactly when
    // ANONYMOUS would be, or refuses it with an AMQP error that says why
    sasl.allowSkip(true);
    saslHandler = new SaslHandler(services.authenticator(), remote);
    sasl.setListener(saslHandler);
    Connection connection = Proton.connection();
    collector = Proton.collector();
    connection.collect(collector);
    transport.bind(connection);
    amqp = new AmqpConnection(this, services, connection, saslHandler, remote);
    LOG.fine(() -> "connection from " + remote);
    context.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object msg) {
    ByteBuf buf = (ByteBuf) msg;
    if (!offered) {
      // the first bytes: over TLS they arrive only once the handshake is done, so its client
      // certificate, if any, is known
      offered = true;
      Channel ch = context.channel();
      saslHandler.offer(
          sasl,
          TlsChannels.isTls(ch),
          TlsChannels.peerSubject(ch).map(CertificateUser::of).orElse(null));
    }
    try {
      while (buf.isReadable() && !closed) {
        int capacity = transport.capacity();
        if (capacity <= 0) {
          buf.skipBytes(buf.readableBytes());
          break;
        }
        ByteBuffer tail = transport.tail();
        int n = Math.min(capacity, buf.readableBytes());
        tail.limit(tail.position() + n);
        buf.readBytes(tail);
        transport.process();
      }
    } catch (RuntimeException e) {
      // Proton rejects bad bytes with TransportException, but a frame that lacks a mandatory field
      // can surface as a NullPointerException: whatever parsing the peer's bytes throws is theirs.
      protocolError(e);
    } finally {
      buf.release();
    }
    process();
  }

  private void protocolError(RuntimeException e) {
    LOG.warning("closing connection " + amqp.remote() + ": protocol error: " + e.getMessage());
    try {
      // closing the tail makes Proton parse the bad bytes it still holds, and fail once more
      transport.close_tail();
    } catch (RuntimeException again) {
      LOG.fine(() -> "closing the input of " + amqp.remote() + ": " + again);
    }
    protocolFailed = true;
  }

  /** Handles pending engine events and writes what the engine produced. */
  void process() {
    if (closed) {
      return;
    }
    try {
      Event ev;
      while ((ev = collector.peek()) != null) {
        amqp.handle(ev);
        collector.pop();
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "closing connection " + amqp.remote() + " after an internal error", e);
      amqp.closeWithError(e);
    }
    long deadline = closed ? 0 : transport.tick(nowMillis());
    writeOutput();
    scheduleTick(deadline);
  }

  /**
   * The connection's channel, e.g. for its TLS session ({@link io.tandem.broker.tls.TlsChannels}).
   */
  io.netty.channel.Channel channel() {
    return ctx.channel();
  }

  /** Tells the handshake timeout that the client finished its handshake (sent its open). */
  void handshakeDone() {
    ctx.pipeline().fireUserEventTriggered(HandshakeDone.CLIENT);
  }

  /** Runs {@code task} on this connection's event loop, then processes and flushes once. */
  void execute(Runnable task) {
    ctx.executor()
        .execute(
            () -> {
              task.run();
              if (!closed) {
                requestFlush();
              }
            });
  }

  private void requestFlush() {
    if (flushScheduled) {
      return;
    }
    flushScheduled = true;
    ctx.executor()
        .execute(
            () -> {
              flushScheduled = false;
              process();
            });
  }

  private void writeOutput() {
    boolean wrote = false;
    while (true) {
      int pending = transport.pending();
      if (pending < 0 || (pending == 0 && protocolFailed)) {
        // not every failure closes Proton's output (a NullPointerException does not)
        closeChannel();
        break;
      }
      if (pending == 0) {
        break;
      }
      ByteBuffer head = transport.head();
      ByteBuf out = ctx.alloc().ioBuffer(pending);
      out.writeBytes(head.duplicate().limit(head.position() + pending));
      transport.pop(pending);
      ctx.write(out);
      wrote = true;
    }
    if (wrote) {
      ctx.flush();
    }
  }

  private void closeChannel() {
    if (!closed) {
      ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
          .addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** Arranges for the engine to be ticked at {@code deadline} (heartbeats, idle checks). */
  private void scheduleTick(long deadline) {
    if (tick != null || closed || deadline == 0) {
      return;
    }
    long now = nowMillis();
    long delay = Math.max(1, deadline - now);
    tick =
        ctx.executor()
            .schedule(
                () -> {
                  tick = null;
                  process();
                },
                delay,
                TimeUnit.MILLISECONDS);
  }

  private long nowMillis() {
    return (services.clock().nanos() - clockBase) / 1_000_000 + 1;
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) {
    closed = true;
    if (tick != null) {
      tick.cancel(false);
    }
    amqp.connectionLost();
    context.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    LOG.fine(() -> "connection " + (amqp == null ? "?" : amqp.remote()) + " failed: " + cause);
    context.close();
  }
}
