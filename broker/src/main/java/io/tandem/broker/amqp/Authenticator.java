package io.tandem.broker.amqp;

import io.tandem.broker.security.AccessControl;
import io.tandem.broker.security.ScramHash;
import io.tandem.broker.security.ScramServer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Which SASL mechanisms a connection is offered and how each checks its credentials, from the users
 * file ({@link AccessControl#users()}) and the security keys of tandem.conf.
 *
 * <ul>
 *   <li>EXTERNAL: only on a TLS connection whose client presented a verified certificate.
 *   <li>SCRAM-SHA-512 and SCRAM-SHA-256: when a users file is configured.
 *   <li>PLAIN: on TLS, or without TLS when {@code allow_plain_without_tls = enabled}, since PLAIN
 *       sends the password as it is. Without a users file any name and password pass.
 *   <li>ANONYMOUS, and a client that skips SASL: only without a users file (which {@code
 *       authorization = enabled} requires).
 * </ul>
 */
public final class Authenticator {
  static final String EXTERNAL = "EXTERNAL";
  static final String PLAIN = "PLAIN";
  static final String ANONYMOUS = "ANONYMOUS";

  private final AccessControl access;
  private final boolean allowPlainWithoutTls;
  private final SecureRandom random = new SecureRandom();
  private final byte[] fakeSaltKey = new byte[32];

  private Authenticator(AccessControl access, boolean allowPlainWithoutTls) {
    this.access = access;
    this.allowPlainWithoutTls = allowPlainWithoutTls;
    random.nextBytes(fakeSaltKey);
  }

  /** No users file, authorization disabled, PLAIN over TLS only: the defaults. */
  public static Authenticator open() {
    return new Authenticator(AccessControl.open(), false);
  }

  /** Checks against {@code access}'s users. */
  public static Authenticator of(AccessControl access, boolean allowPlainWithoutTls) {
    return new Authenticator(access, allowPlainWithoutTls);
  }

  AccessControl access() {
    return access;
  }

  /** The mechanisms offered, strongest first. */
  List<String> mechanisms(boolean tls, boolean clientCertificate) {
    List<String> m = new ArrayList<>();
    if (tls && clientCertificate) {
      m.add(EXTERNAL);
    }
    if (access.users().configured()) {
      m.add(ScramHash.SHA_512.mechanism());
      m.add(ScramHash.SHA_256.mechanism());
    }
    if (tls || allowPlainWithoutTls) {
      m.add(PLAIN);
    }
    if (anonymousAllowed()) {
      m.add(ANONYMOUS);
    }
    return m;
  }

  /** Whether ANONYMOUS is offered, and a client without SASL accepted. */
  boolean anonymousAllowed() {
    return !access.users().configured();
  }

  /** Checks a PLAIN login: one key derivation, whether or not the user exists. */
  boolean checkPlain(String user, char[] password) {
    if (!access.users().configured()) {
      return true;
    }
    return access.users().verify(user, password);
  }

  /** A fresh server side of one SCRAM exchange. */
  ScramServer scram(ScramHash hash) {
    return new ScramServer(
        hash, access.users()::scram, fakeSaltKey, random, access.users().decoyIterations());
  }
}
