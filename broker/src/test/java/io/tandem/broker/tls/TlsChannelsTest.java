package io.tandem.broker.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a protocol handler behind the TLS handler learns about its connection: TLS or not, and the
 * verified client certificate's subject, over a real TLS handshake.
 */
class TlsChannelsTest {
  @TempDir Path dir;
  private final EventLoopGroup group = new NioEventLoopGroup(1);

  @AfterEach
  void stop() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
  }

  private record Seen(boolean tls, Optional<X500Principal> subject, String protocol) {}

  private Seen firstRead(ServerTls tls, ClientTls client) throws Exception {
    CompletableFuture<Seen> seen = new CompletableFuture<>();
    Channel server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                    ch.pipeline()
                        .addLast(
                            new ChannelInboundHandlerAdapter() {
                              @Override
                              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ReferenceCountUtil.release(msg);
                                seen.complete(
                                    new Seen(
                                        TlsChannels.isTls(ctx.channel()),
                                        TlsChannels.peerSubject(ctx.channel()),
                                        TlsChannels.protocol(ctx.channel()).orElse("")));
                              }
                            });
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
    int port = ((InetSocketAddress) server.localAddress()).getPort();
    try (Socket raw = new Socket()) {
      raw.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      raw.setSoTimeout(5000);
      SSLSocket s = client.handshake(raw, "127.0.0.1", port);
      s.getOutputStream().write(1);
      s.getOutputStream().flush();
      return seen.get(10, TimeUnit.SECONDS);
    } finally {
      server.close().sync();
    }
  }

  @Test
  void shouldExposeTheVerifiedClientCertificateSubject() throws Exception {
    TestPki pki = TestPki.create(dir, "ca");
    TestPki.Issued server = pki.issue("server");
    TestPki.Issued alice = pki.issue("alice", "alice", List.of(), Instant.now(), 1);
    ServerTls tls =
        ServerTls.create(
            new TlsSettings(
                server.cert(),
                server.key(),
                null,
                pki.caFile(),
                true,
                TlsSettings.PROTOCOLS,
                List.of()));
    ClientTls client =
        ClientTls.create(
            new TlsSettings(
                alice.cert(),
                alice.key(),
                null,
                pki.caFile(),
                false,
                List.of("TLSv1.2"),
                List.of()),
            null,
            true);
    Seen seen = firstRead(tls, client);
    assertTrue(seen.tls());
    assertEquals("TLSv1.2", seen.protocol());
    assertEquals(alice.certificate().getSubjectX500Principal(), seen.subject().orElseThrow());
    assertTrue(seen.subject().orElseThrow().getName().contains("CN=alice"));
  }

  @Test
  void shouldExposeNoSubjectWhenTheClientPresentsNone() throws Exception {
    TestPki pki = TestPki.create(dir, "ca");
    TestPki.Issued server = pki.issue("server");
    ServerTls tls =
        ServerTls.create(
            new TlsSettings(
                server.cert(),
                server.key(),
                null,
                pki.caFile(),
                false,
                TlsSettings.PROTOCOLS,
                List.of()));
    ClientTls client =
        ClientTls.create(
            new TlsSettings(
                null, null, null, pki.caFile(), false, TlsSettings.PROTOCOLS, List.of()),
            null,
            true);
    Seen seen = firstRead(tls, client);
    assertTrue(seen.tls());
    assertEquals("TLSv1.3", seen.protocol());
    assertTrue(seen.subject().isEmpty());
  }
}
