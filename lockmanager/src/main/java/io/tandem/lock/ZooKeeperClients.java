package io.tandem.lock;

import java.nio.file.Path;
import javax.security.auth.login.Configuration;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.StandardConnectionStateErrorPolicy;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.ClientCnxnSocketNetty;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.common.ClientX509Util;
import org.apache.zookeeper.common.ConfigException;

/**
 * The Curator client a {@link ZooKeeperLockConfig} calls for: its servers, timeouts and retries,
 * and its {@link ZooKeeperSecurity} (authentication, the ACLs of the znodes it creates, TLS). A
 * caller that builds its own client for {@link FencedLocks#zooKeeper(
 * org.apache.curator.framework.CuratorFramework, String)} starts from this builder, so that its
 * znodes get the same protection.
 */
public final class ZooKeeperClients {

  private ZooKeeperClients() {}

  /**
   * A builder with every setting of {@code config}. The standard error policy treats SUSPENDED as
   * an error (not only LOST), and the ensemble tracker is off so the client keeps to the configured
   * servers.
   *
   * @throws LockException {@code CONFIGURATION} if a secret or the client properties file cannot be
   *     read, or SASL is asked for without a JAAS login section
   */
  public static CuratorFrameworkFactory.Builder builder(ZooKeeperLockConfig config) {
    ZooKeeperSecurity security = config.security();
    CuratorFrameworkFactory.Builder builder =
        CuratorFrameworkFactory.builder()
            .connectString(config.connectString())
            .sessionTimeoutMs(Math.toIntExact(config.sessionTimeout().toMillis()))
            .connectionTimeoutMs(Math.toIntExact(config.connectionTimeout().toMillis()))
            .retryPolicy(
                new ExponentialBackoffRetry(
                    Math.toIntExact(config.retryBaseSleep().toMillis()),
                    config.retryMaxAttempts(),
                    Math.toIntExact(config.retryMaxSleep().toMillis())))
            .connectionStateErrorPolicy(new StandardConnectionStateErrorPolicy())
            .ensembleTracker(false)
            .aclProvider(new ZooKeeperAclProvider(config.path(), security.acl()))
            .zkClientConfig(clientConfig(security));
    if (security.auth() == ZooKeeperSecurity.Auth.DIGEST) {
      builder.authorization("digest", ZooKeeperSecrets.readDigest(security.authFile()));
    }
    return builder;
  }

  // ZooKeeper's client properties for this client alone, never the JVM's system properties.
  static ZKClientConfig clientConfig(ZooKeeperSecurity security) {
    ZKClientConfig client = base(security.clientConfig());
    if (security.tls()) {
      client.setProperty(ZKClientConfig.SECURE_CLIENT, "true");
      client.setProperty(
          ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, ClientCnxnSocketNetty.class.getName());
      try (ClientX509Util x509 = new ClientX509Util()) {
        set(client, x509.getSslTruststoreLocationProperty(), security.trustStore());
        set(client, x509.getSslTruststorePasswdPathProperty(), security.trustStorePasswordFile());
        set(client, x509.getSslKeystoreLocationProperty(), security.keyStore());
        set(client, x509.getSslKeystorePasswdPathProperty(), security.keyStorePasswordFile());
      }
    }
    if (security.auth() == ZooKeeperSecurity.Auth.SASL) {
      client.setProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY, "true");
      requireJaasSection(
          client.getProperty(
              ZKClientConfig.LOGIN_CONTEXT_NAME_KEY,
              ZKClientConfig.LOGIN_CONTEXT_NAME_KEY_DEFAULT));
    }
    return client;
  }

  private static ZKClientConfig base(Path file) {
    if (file == null) {
      return new ZKClientConfig();
    }
    try {
      return new ZKClientConfig(file);
    } catch (ConfigException | RuntimeException e) {
      throw ZooKeeperSecurity.invalid(
          "cannot read the ZooKeeper client properties " + file + ": " + e.getMessage());
    }
  }

  private static void set(ZKClientConfig client, String property, Path file) {
    if (file != null) {
      client.setProperty(property, file.toString());
    }
  }

  /*
   * Without its login section the ZooKeeper client would quietly connect unauthenticated, and the
   * lock's creator-only ACLs would then be refused; say so before connecting instead.
   */
  private static void requireJaasSection(String section) {
    boolean found;
    try {
      found = Configuration.getConfiguration().getAppConfigurationEntry(section) != null;
    } catch (SecurityException e) {
      found = false;
    }
    if (!found) {
      throw ZooKeeperSecurity.invalid(
          "auth sasl needs the JAAS login section '"
              + section
              + "'; start the JVM with -Djava.security.auth.login.config=FILE naming a file"
              + " that has it");
    }
  }
}
