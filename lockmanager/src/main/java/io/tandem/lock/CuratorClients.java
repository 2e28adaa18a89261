package io.tandem.lock;

import java.util.concurrent.ThreadFactory;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionStateListenerManagerFactory;

/**
 * Builds and starts the Curator client a ZooKeeper lock owns, and the one a caller that shares a
 * session among several locks (ha-agent) owns: the settings of {@link ZooKeeperClients#builder},
 * daemon threads named for the lock's path. Curator's default simulated expiry declares the session
 * LOST once it has been SUSPENDED for a session timeout.
 */
public final class CuratorClients {

  private CuratorClients() {}

  /**
   * A started client for {@code config}.
   *
   * @throws LockException {@code CONFIGURATION} as {@link ZooKeeperClients#builder} does
   */
  public static CuratorFramework start(ZooKeeperLockConfig config) {
    return start(config, ConnectionStateListenerManagerFactory.standard);
  }

  /**
   * A started client for {@code config} whose connection-state events reach listeners through
   * {@code listeners} (e.g. one that holds SUSPENDED back for a grace period).
   *
   * @throws LockException {@code CONFIGURATION} as {@link ZooKeeperClients#builder} does
   */
  public static CuratorFramework start(
      ZooKeeperLockConfig config, ConnectionStateListenerManagerFactory listeners) {
    CuratorFramework client =
        ZooKeeperClients.builder(config)
            .threadFactory(daemonThreads("tandem-zk-" + config.path()))
            .connectionStateListenerManagerFactory(listeners)
            .build();
    client.start();
    return client;
  }

  static ThreadFactory daemonThreads(String prefix) {
    return runnable -> {
      Thread thread = new Thread(runnable, prefix);
      thread.setDaemon(true);
      return thread;
    };
  }
}
