package io.tandem.broker.amqp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tandem.broker.BrokerException;
import io.tandem.broker.config.Endpoint;
import io.tandem.broker.tls.ServerTls;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * The AMQP listeners, plain ({@code amqp://}) and TLS ({@code amqps://}): Netty with the native
 * epoll transport where available, NIO elsewhere.
 */
public final class AmqpServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AmqpServer.class.getName());

  private final AmqpServices services;
  private final ServerTls tls;
  private final boolean peerOverTlsOnly;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Class<? extends ServerChannel> channelType;
  private final List<Channel> listeners = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Creates a server without TLS; nothing listens until {@link #listen}. */
  public AmqpServer(AmqpServices services) {
    this(services, null, false);
  }

  /**
   * Creates the server; nothing listens until {@link #listen}.
   *
   * @param tls the {@code amqps://} listeners' TLS, or {@code null} when none is configured
   * @param peerOverTlsOnly whether the pair's peer protocol is refused on plain listeners
   */
  public AmqpServer(AmqpServices services, ServerTls tls, boolean peerOverTlsOnly) {
    this.services = services;
    this.tls = tls;
    this.peerOverTlsOnly = peerOverTlsOnly;
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    if (Epoll.isAvailable()) {
      boss = new EpollEventLoopGroup(1, new DefaultThreadFactory("amqp-accept", true));
      workers = new EpollEventLoopGroup(threads, new DefaultThreadFactory("amqp-io", true));
      channelType = EpollServerSocketChannel.class;
    } else {
      boss = new NioEventLoopGroup(1, new DefaultThreadFactory("amqp-accept", true));
      workers = new NioEventLoopGroup(threads, new DefaultThreadFactory("amqp-io", true));
      channelType = NioServerSocketChannel.class;
    }
  }

  /** Opens a listener on {@code endpoint}; returns the bound address (port 0 resolved). */
  public Endpoint listen(Endpoint endpoint) {
    boolean secure = endpoint.scheme().equals("amqps");
    if (secure && tls == null) {
      throw new BrokerException(
          BrokerException.Category.CONFIG, endpoint + " needs TLS, and none is configured");
    }
    ServerBootstrap b =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(channelType)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new AmqpChannelInitializer(services, secure ? tls : null, peerOverTlsOnly));
    try {
      Channel ch = b.bind(endpoint.host(), endpoint.port()).sync().channel();
      synchronized (listeners) {
        listeners.add(ch);
      }
      InetSocketAddress bound = (InetSocketAddress) ch.localAddress();
      Endpoint actual = new Endpoint(endpoint.scheme(), endpoint.host(), bound.getPort());
      LOG.info(
          "listening for AMQP"
              + (secure ? " over TLS " + tls.settings().protocols() : "")
              + " on "
              + actual
              + (Epoll.isAvailable() ? " (epoll)" : " (nio)"));
      return actual;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrokerException(
          BrokerException.Category.NETWORK, "interrupted while binding " + endpoint, e);
    } catch (RuntimeException e) {
      throw new BrokerException(
          BrokerException.Category.NETWORK,
          "cannot listen on " + endpoint + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Binds and closes a listener on an ephemeral loopback port with the transport a server uses, so
   * that a backup has loaded and compiled the code that opens a listener before its activation
   * needs it: on a cold JVM that first bind takes about 150 ms of the takeover. It changes nothing
   * and a failure is only logged.
   */
  public static void rehearseListening() {
    long t0 = System.nanoTime();
    boolean epoll = Epoll.isAvailable();
    DefaultThreadFactory threads = new DefaultThreadFactory("amqp-rehearsal", true);
    EventLoopGroup group =
        epoll ? new EpollEventLoopGroup(1, threads) : new NioEventLoopGroup(1, threads);
    try {
      Channel ch =
          new ServerBootstrap()
              .group(group, group)
              .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
              .option(ChannelOption.SO_BACKLOG, 1)
              .childHandler(new io.netty.channel.ChannelInboundHandlerAdapter())
              .bind("127.0.0.1", 0)
              .sync()
              .channel();
      ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
      LOG.fine("rehearsed opening a listener in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.fine("rehearsal of opening a listener failed: " + e);
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }

  /** Stops accepting connections; existing ones stay until {@link #close}. */
  public void stopListening() {
    synchronized (listeners) {
      for (Channel ch : listeners) {
        ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
      }
      listeners.clear();
    }
  }

  /** Closes listeners and all connections. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    stopListening();
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
