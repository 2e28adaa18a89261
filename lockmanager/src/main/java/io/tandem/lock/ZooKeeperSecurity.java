package io.tandem.lock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * How a ZooKeeper lock's client proves who it is, whom its znodes admit, and whether it talks TLS.
 *
 * <p>Secrets are never held here, only the files they are read from, so that printing a
 * configuration never prints a password.
 *
 * @param auth how the client authenticates
 * @param authFile for {@link Auth#DIGEST}: a file holding {@code user:password} on one line; {@code
 *     null} otherwise
 * @param acl the ACL given to every znode the lock creates
 * @param tls whether the client connects with TLS (ZooKeeper's {@code secureClientPort})
 * @param trustStore CAs trusted for the servers' certificates (PEM, JKS or PKCS12, told apart by
 *     the file's extension); {@code null} for the JVM's default trust store
 * @param trustStorePasswordFile the trust store's password, for JKS or PKCS12; may be {@code null}
 * @param keyStore the client's own certificate and key, for servers that require one; may be {@code
 *     null}
 * @param keyStorePasswordFile the key store's password; may be {@code null}
 * @param clientConfig a ZooKeeper client properties file read first (SASL settings such as {@code
 *     zookeeper.sasl.clientconfig} or {@code zookeeper.server.principal}, other TLS settings); may
 *     be {@code null}
 */
public record ZooKeeperSecurity(
    Auth auth,
    Path authFile,
    Acl acl,
    boolean tls,
    Path trustStore,
    Path trustStorePasswordFile,
    Path keyStore,
    Path keyStorePasswordFile,
    Path clientConfig) {

  /** No authentication, ZooKeeper's open ACL, no TLS: how ZooKeeper behaves unconfigured. */
  public static final ZooKeeperSecurity NONE =
      new ZooKeeperSecurity(Auth.NONE, null, Acl.OPEN, false, null, null, null, null, null);

  /** How the client authenticates to ZooKeeper. */
  public enum Auth {
    /** Not at all: the session's only identity is {@code world:anyone}. */
    NONE,
    /** ZooKeeper's {@code digest} scheme, {@code user:password} from {@code authFile}. */
    DIGEST,
    /** SASL (Kerberos or DIGEST-MD5) through the JVM's JAAS login section, {@code Client}. */
    SASL
  }

  /** The ACL on the lock's znodes. */
  public enum Acl {
    /** {@code world:anyone} may do anything (ZooKeeper's default). */
    OPEN,
    /** Only the identity that created a znode may do anything with it. */
    CREATOR,
    /** As {@link #CREATOR}, and anyone may read. */
    CREATOR_READ;

    String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Validates the combination once; a bad one is refused with the reason. */
  public ZooKeeperSecurity {
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(acl, "acl");
    if ((auth == Auth.DIGEST) != (authFile != null)) {
      throw invalid("auth_file is required with auth digest, and only with it");
    }
    if (acl != Acl.OPEN && auth == Auth.NONE) {
      throw invalid(
          "acl " + acl.configName() + " needs an identity to be the creator: set auth too");
    }
    if (!tls && (trustStore != null || keyStore != null)) {
      throw invalid("trust_store and key_store need tls enabled");
    }
    if (trustStorePasswordFile != null && trustStore == null) {
      throw invalid("trust_store_password_file is set without trust_store");
    }
    if (keyStorePasswordFile != null && keyStore == null) {
      throw invalid("key_store_password_file is set without key_store");
    }
    for (Path file :
        new Path[] {
          authFile, trustStore, trustStorePasswordFile, keyStore, keyStorePasswordFile, clientConfig
        }) {
      if (file != null && !(Files.isRegularFile(file) && Files.isReadable(file))) {
        throw invalid("file '" + file + "' does not exist or is not readable");
      }
    }
    if (authFile != null) {
      ZooKeeperSecrets.readDigest(authFile);
    }
  }

  /** Whether anything differs from {@link #NONE}. */
  public boolean isConfigured() {
    return !equals(NONE);
  }

  /** A short description for logs and status lines; it names files, never their contents. */
  public String describe() {
    StringBuilder out = new StringBuilder("auth ").append(auth.name().toLowerCase(Locale.ROOT));
    out.append(", acl ").append(acl.configName()).append(", tls ").append(tls ? "on" : "off");
    return out.toString();
  }

  static LockException invalid(String reason) {
    return new LockException(
        LockException.Category.CONFIGURATION, "invalid ZooKeeper security settings: " + reason);
  }
}
