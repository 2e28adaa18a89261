package io.tandem.broker.tls;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.security.auth.x500.X500Principal;

/**
 * What authentication may learn about a connection's TLS: whether it runs TLS, and the client's
 * certificate chain once the handshake verified it against the listener's trusted CAs. Usable from
 * the first byte the protocol handlers see: TLS has finished its handshake by then.
 */
public final class TlsChannels {
  private TlsChannels() {}

  /** Whether {@code ch} was accepted on an {@code amqps://} listener (TLS carries its bytes). */
  public static boolean isTls(Channel ch) {
    return ch.pipeline().get(SslHandler.class) != null;
  }

  /**
   * The client's certificate chain, its own certificate first, as verified in the handshake; empty
   * if the channel is not TLS, the handshake has not succeeded, or the client presented none.
   */
  public static List<X509Certificate> verifiedPeerChain(Channel ch) {
    SslHandler h = ch.pipeline().get(SslHandler.class);
    if (h == null || !h.handshakeFuture().isSuccess()) {
      return List.of();
    }
    try {
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate c : h.engine().getSession().getPeerCertificates()) {
        if (c instanceof X509Certificate x) {
          chain.add(x);
        }
      }
      return List.copyOf(chain);
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
  }

  /** The subject of the client's verified certificate, e.g. to map to a user for EXTERNAL. */
  public static Optional<X500Principal> peerSubject(Channel ch) {
    List<X509Certificate> chain = verifiedPeerChain(ch);
    return chain.isEmpty() ? Optional.empty() : Optional.of(chain.get(0).getSubjectX500Principal());
  }

  /** The negotiated protocol (e.g. {@code TLSv1.3}), or empty when not TLS or not yet agreed. */
  public static Optional<String> protocol(Channel ch) {
    SslHandler h = ch.pipeline().get(SslHandler.class);
    if (h == null || !h.handshakeFuture().isSuccess()) {
      return Optional.empty();
    }
    return Optional.of(h.engine().getSession().getProtocol());
  }
}
