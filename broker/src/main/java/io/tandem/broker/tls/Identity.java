package io.tandem.broker.tls;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/** A certificate chain and its private key, read and checked together. */
record Identity(List<X509Certificate> chain, PrivateKey key) {
  Identity {
    chain = List.copyOf(chain);
  }

  /** Reads and checks the files; throws {@code BrokerException} (CONFIG) naming the bad file. */
  static Identity load(Path certFile, Path keyFile, String password) {
    List<X509Certificate> chain = PemFiles.certificates(certFile);
    PrivateKey key = PemFiles.privateKey(keyFile, password);
    PemFiles.checkKeyMatches(keyFile, key, chain.get(0));
    return new Identity(chain, key);
  }

  X509Certificate leaf() {
    return chain.get(0);
  }

  String describe() {
    return leaf().getSubjectX500Principal().getName()
        + " (serial "
        + leaf().getSerialNumber().toString(16)
        + ", valid until "
        + leaf().getNotAfter().toInstant()
        + ")";
  }

  boolean expired(Instant now) {
    return leaf().getNotAfter().toInstant().isBefore(now);
  }
}
