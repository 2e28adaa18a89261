package io.tandem.broker.tls;

import io.tandem.broker.BrokerException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies peers against the CAs of one PEM file (the JDK's PKIX validation), re-read when the file
 * changes; the check runs as each handshake verifies its peer.
 */
final class ReloadingTrustManager extends X509ExtendedTrustManager {
  private final Reloadable<X509ExtendedTrustManager> delegate;

  ReloadingTrustManager(Path trusted) {
    this.delegate =
        new Reloadable<>(
            "trusted CAs",
            List.of(trusted),
            () -> fromStore(PemFiles.trustStore(trusted)),
            tm -> tm.getAcceptedIssuers().length + " CA certificate(s)");
  }

  /** The JDK's own trust manager over {@code store}, or over its default CAs when null. */
  static X509ExtendedTrustManager fromStore(KeyStore store) {
    try {
      TrustManagerFactory f =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      f.init(store);
      for (TrustManager tm : f.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x) {
          return x;
        }
      }
      throw new BrokerException(
          BrokerException.Category.CONFIG, "the JDK offers no X509ExtendedTrustManager");
    } catch (GeneralSecurityException e) {
      throw new BrokerException(
          BrokerException.Category.CONFIG, "cannot create a trust manager: " + e.getMessage(), e);
    }
  }

  private X509ExtendedTrustManager tm() {
    return delegate.current();
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    tm().checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    tm().checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    tm().checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    tm().checkServerTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    tm().checkClientTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    tm().checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return tm().getAcceptedIssuers();
  }
}
