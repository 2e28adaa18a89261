package io.tandem.broker.tls;

import java.nio.file.Path;
import java.util.List;

/**
 * One side's TLS files and options, as the configuration names them.
 *
 * @param identity PEM certificate chain, this side's certificate first; {@code null} for a client
 *     that presents no certificate
 * @param key PEM private key; may be the identity file itself when it holds both
 * @param password the private key's password, or {@code null} when it is not encrypted
 * @param trusted PEM file of trusted CA certificates, or {@code null}: a server then asks for no
 *     client certificate, a client trusts the JDK's default CAs
 * @param requireClientCert whether a server refuses clients without a verified certificate
 * @param protocols enabled protocols, a subset of {@link #PROTOCOLS}
 * @param ciphers enabled cipher suites (IANA names as the JDK spells them), or empty for the JDK's
 *     defaults
 */
public record TlsSettings(
    Path identity,
    Path key,
    String password,
    Path trusted,
    boolean requireClientCert,
    List<String> protocols,
    List<String> ciphers) {

  /** The only protocols Tandem enables. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.2", "TLSv1.3");

  public TlsSettings {
    protocols = List.copyOf(protocols);
    ciphers = List.copyOf(ciphers);
  }

  @Override
  public String toString() {
    // never the password
    return "TlsSettings[identity="
        + identity
        + ", key="
        + key
        + ", trusted="
        + trusted
        + ", requireClientCert="
        + requireClientCert
        + ", protocols="
        + protocols
        + ", ciphers="
        + ciphers
        + "]";
  }
}
