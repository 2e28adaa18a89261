package io.tandem.lock;

import java.util.concurrent.ThreadFactory;
import org.apache.curator.framework.CuratorFramework;

// Builds the Curator client a ZooKeeper lock owns.
final class CuratorClients {

  private CuratorClients() {}

  /*
   * A started client with the settings of ZooKeeperClients.builder. Curator's default simulated
   * expiry declares the session LOST once it has been SUSPENDED for a session timeout.
   */
  static CuratorFramework start(ZooKeeperLockConfig config) {
    CuratorFramework client =
        ZooKeeperClients.builder(config)
            .threadFactory(daemonThreads("tandem-zk-" + config.path()))
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
