package io.tandem.broker.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import io.tandem.broker.BrokerException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The server side of TLS for one set of {@link TlsSettings}: an {@code amqps://} listener's
 * handlers, or the {@code https://} admin endpoint's context. Certificate and CA files are re-read
 * when they change, on the next handshake.
 */
public final class ServerTls {
  private final TlsSettings settings;
  private final SSLContext context;
  private final SSLParameters parameters;

  private ServerTls(TlsSettings settings, SSLContext context, SSLParameters parameters) {
    this.settings = settings;
    this.context = context;
    this.parameters = parameters;
  }

  /**
   * Reads the files and checks the options; throws {@link BrokerException} (CONFIG) naming the file
   * or option at fault.
   */
  public static ServerTls create(TlsSettings s) {
    if (s.identity() == null) {
      throw new BrokerException(BrokerException.Category.CONFIG, "no certificate is configured");
    }
    if (s.requireClientCert() && s.trusted() == null) {
      throw new BrokerException(
          BrokerException.Category.CONFIG,
          "client certificates are required but no trusted CA file is configured");
    }
    ReloadingKeyManager km = Contexts.keyManager(s);
    SSLContext c = Contexts.context(km, Contexts.trustManager(s));
    SSLParameters p = Contexts.parameters(c, s);
    if (s.requireClientCert()) {
      p.setNeedClientAuth(true);
    } else if (s.trusted() != null) {
      // a client may present a certificate (for SASL EXTERNAL); if it does, it must verify
      p.setWantClientAuth(true);
    }
    return new ServerTls(s, c, p);
  }

  /** The settings this was made from. */
  public TlsSettings settings() {
    return settings;
  }

  /** The JDK context, e.g. for an {@code HttpsServer}. */
  public SSLContext sslContext() {
    return context;
  }

  /** A copy of the protocols, ciphers and client-certificate policy to apply to each connection. */
  public SSLParameters parameters() {
    SSLParameters p = new SSLParameters(parameters.getCipherSuites(), parameters.getProtocols());
    if (parameters.getNeedClientAuth()) {
      p.setNeedClientAuth(true);
    } else if (parameters.getWantClientAuth()) {
      p.setWantClientAuth(true);
    }
    return p;
  }

  /**
   * A handler for one accepted socket, first in its pipeline. It has no handshake timer of its own:
   * the connection's handshake timeout covers TLS too.
   */
  public SslHandler newHandler(ByteBufAllocator alloc) {
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(false);
    engine.setSSLParameters(parameters());
    SslHandler h = new SslHandler(engine);
    h.setHandshakeTimeoutMillis(0);
    return h;
  }
}
