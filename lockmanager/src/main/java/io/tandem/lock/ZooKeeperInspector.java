package io.tandem.lock;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/*
 * Reads a ZooKeeper lock's status without taking it. It is held while <path>/lock has
 * contender nodes (the lowest one holds it); the holder record is persistent, so after the holder
 * releases or its session expires it still names the last holder.
 */
final class ZooKeeperInspector {

  private ZooKeeperInspector() {}

  static LockStatus inspect(CuratorFramework client, ZooKeeperLayout layout) {
    boolean held =
        ZooKeeperCalls.run(
            "listing " + layout.lock(), () -> !children(client, layout.lock()).isEmpty());
    Optional<LockHolder> holder =
        ZooKeeperCalls.run("reading " + layout.holder(), () -> data(client, layout.holder()))
            .flatMap(HolderCodec::decode);
    long latestEpoch = ZooKeeperEpoch.read(client, layout.epoch());
    return new LockStatus(held, holder, latestEpoch);
  }

  // Connects with the given configuration just long enough to read the status.
  static LockStatus inspect(ZooKeeperLockConfig config) {
    try (CuratorFramework client = CuratorClients.start(config)) {
      long waitMs = config.connectionTimeout().toMillis();
      boolean connected =
          ZooKeeperCalls.run(
              "connecting to " + config.connectString(),
              () -> client.blockUntilConnected(Math.toIntExact(waitMs), TimeUnit.MILLISECONDS));
      if (!connected) {
        throw new LockException(
            LockException.Category.ZOOKEEPER,
            "cannot reach ZooKeeper at "
                + config.connectString()
                + " within "
                + config.connectionTimeout());
      }
      return inspect(client, new ZooKeeperLayout(config.path()));
    }
  }

  private static List<String> children(CuratorFramework client, String path) throws Exception {
    try {
      return client.getChildren().forPath(path);
    } catch (KeeperException.NoNodeException e) {
      return List.of();
    }
  }

  private static Optional<byte[]> data(CuratorFramework client, String path) throws Exception {
    try {
      return Optional.ofNullable(client.getData().forPath(path));
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    }
  }
}
