package io.tandem.lock;

import java.util.concurrent.ThreadFactory;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.StandardConnectionStateErrorPolicy;
import org.apache.curator.retry.ExponentialBackoffRetry;

// Builds the Curator client a ZooKeeper lock owns.
final class CuratorClients {

  private CuratorClients() {}

  /*
   * A started client. The standard error policy treats SUSPENDED as an error (not only LOST), the
   * ensemble tracker is off so the client keeps to the configured servers, and Curator's default
   * simulated expiry declares the session LOST once it has been SUSPENDED for a session timeout.
   */
  static CuratorFramework start(ZooKeeperLockConfig config) {
    CuratorFramework client =
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
