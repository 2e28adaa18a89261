package io.tandem.broker.amqp;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import io.tandem.broker.security.CertificateUser;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * What TLS says about a connection: whether it runs over TLS (its pipeline holds an {@link
 * SslHandler}), and the user of the client certificate the handshake verified, if any.
 *
 * @param tls whether the connection is encrypted
 * @param certificateUser the CN of the verified client certificate's subject, or {@code null}
 */
record TlsPeer(boolean tls, String certificateUser) {
  static final TlsPeer NONE = new TlsPeer(false, null);

  static TlsPeer of(ChannelPipeline pipeline) {
    SslHandler ssl = pipeline.get(SslHandler.class);
    if (ssl == null) {
      return NONE;
    }
    return new TlsPeer(true, certificateUser(ssl.engine().getSession()));
  }

  /**
   * The user of the session's peer certificate. JSSE lists peer certificates only when the client
   * sent one and the server's trust manager accepted it; otherwise it throws.
   */
  static String certificateUser(SSLSession session) {
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
    if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      return null;
    }
    return CertificateUser.of(leaf.getSubjectX500Principal());
  }
}
