package io.tandem.broker.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Serves one identity, re-read from its files when they change: the check runs as a handshake
 * chooses its certificate. The alias names the generation read, so a handshake that chose its
 * certificate just before a reload still gets the matching key.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {
  private static final String PREFIX = "tandem-";

  private final Reloadable<Identity> identity;
  private final AtomicLong generation = new AtomicLong();
  private final Map<String, Identity> byAlias = new ConcurrentHashMap<>();
  private volatile Identity lastSeen;
  private volatile String lastAlias;

  ReloadingKeyManager(Reloadable<Identity> identity) {
    this.identity = identity;
  }

  /** The identity to serve now, after checking its files. */
  Identity current() {
    return identity.current();
  }

  private String alias(String[] keyTypes) {
    Identity id = identity.current();
    String alg = id.key().getAlgorithm();
    if (keyTypes != null && Arrays.stream(keyTypes).noneMatch(t -> matches(alg, t))) {
      return null;
    }
    synchronized (this) {
      if (id != lastSeen) {
        String alias = PREFIX + generation.incrementAndGet();
        byAlias.put(alias, id);
        if (lastAlias != null) {
          // keep the one before for handshakes in flight, drop older ones
          byAlias.keySet().removeIf(a -> !a.equals(alias) && !a.equals(lastAlias));
        }
        lastSeen = id;
        lastAlias = alias;
      }
      return lastAlias;
    }
  }

  private static boolean matches(String keyAlgorithm, String keyType) {
    return keyType.equals(keyAlgorithm)
        || keyType.startsWith(keyAlgorithm + "_")
        || (keyAlgorithm.equals("EdDSA") && keyType.startsWith("Ed"));
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return alias(new String[] {keyType});
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return alias(new String[] {keyType});
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return alias(keyTypes);
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return alias(keyTypes);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    String a = alias(new String[] {keyType});
    return a == null ? null : new String[] {a};
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return getServerAliases(keyType, issuers);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    Identity id = byAlias.get(alias);
    return id == null ? null : id.chain().toArray(new X509Certificate[0]);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    Identity id = byAlias.get(alias);
    return id == null ? null : id.key();
  }
}
