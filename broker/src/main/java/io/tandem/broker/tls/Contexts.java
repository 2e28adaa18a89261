package io.tandem.broker.tls;

import io.tandem.broker.BrokerException;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/** Builds the JDK {@link SSLContext} and parameters that server and client sides share. */
final class Contexts {
  private static final Logger LOG = Logger.getLogger(Contexts.class.getName());

  private Contexts() {}

  /** The reloading key manager for {@code s}'s identity, or null when it names none. */
  static ReloadingKeyManager keyManager(TlsSettings s) {
    if (s.identity() == null) {
      return null;
    }
    java.nio.file.Path keyFile = s.key() != null ? s.key() : s.identity();
    Reloadable<Identity> identity =
        new Reloadable<>(
            "TLS identity",
            List.of(s.identity(), keyFile),
            () -> Identity.load(s.identity(), keyFile, s.password()),
            Identity::describe);
    ReloadingKeyManager km = new ReloadingKeyManager(identity);
    Identity first = km.current();
    if (first.expired(Instant.now())) {
      LOG.warning("the certificate in " + s.identity() + " has expired: " + first.describe());
    }
    return km;
  }

  /** The trust manager for {@code s}: its CA file, reloading, or the JDK's default CAs. */
  static X509ExtendedTrustManager trustManager(TlsSettings s) {
    return s.trusted() == null
        ? ReloadingTrustManager.fromStore(null)
        : new ReloadingTrustManager(s.trusted());
  }

  static SSLContext context(KeyManager km, X509ExtendedTrustManager tm) {
    try {
      SSLContext c = SSLContext.getInstance("TLS");
      c.init(km == null ? null : new KeyManager[] {km}, new TrustManager[] {tm}, null);
      return c;
    } catch (GeneralSecurityException e) {
      throw new BrokerException(
          BrokerException.Category.CONFIG, "cannot create a TLS context: " + e.getMessage(), e);
    }
  }

  /** Parameters enabling only {@code s}'s protocols and ciphers; refuses unknown ones. */
  static SSLParameters parameters(SSLContext c, TlsSettings s) {
    SSLParameters p = c.getDefaultSSLParameters();
    for (String protocol : s.protocols()) {
      if (!TlsSettings.PROTOCOLS.contains(protocol)) {
        throw new BrokerException(
            BrokerException.Category.CONFIG,
            "protocol " + protocol + " is not allowed (only " + TlsSettings.PROTOCOLS + ")");
      }
    }
    p.setProtocols(s.protocols().toArray(new String[0]));
    if (!s.ciphers().isEmpty()) {
      Set<String> supported =
          new HashSet<>(Arrays.asList(c.getSupportedSSLParameters().getCipherSuites()));
      for (String cipher : s.ciphers()) {
        if (!supported.contains(cipher)) {
          throw new BrokerException(
              BrokerException.Category.CONFIG,
              "cipher suite " + cipher + " is not supported by this JDK");
        }
      }
      p.setCipherSuites(s.ciphers().toArray(new String[0]));
    }
    return p;
  }
}
