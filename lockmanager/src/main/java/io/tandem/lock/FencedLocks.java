package io.tandem.lock;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.imps.CuratorFrameworkState;

/** Creates fenced locks and reads their status without acquiring them. */
public final class FencedLocks {

  private FencedLocks() {}

  /**
   * A lock on {@code <storeDir>/lock} for a hot-warm pair sharing the store. The directory must
   * exist: it is never created, since a missing store usually means an unmounted volume.
   *
   * @throws LockException {@code IO} if the directory is missing, {@code UNSUPPORTED} if this is
   *     not 64-bit Linux
   */
  public static FencedLock file(Path storeDir) {
    StoreFiles files = new StoreFiles(Objects.requireNonNull(storeDir, "storeDir"));
    files.requireStoreDirectory();
    LibC.instance();
    return new FileFencedLock(files, ProcessIdentity.current(), Clock.systemUTC());
  }

  /**
   * A ZooKeeper lock with its own Curator client (and so its own session), closed with the lock.
   */
  public static FencedLock zooKeeper(ZooKeeperLockConfig config) {
    Objects.requireNonNull(config, "config");
    CuratorFramework client = CuratorClients.start(config);
    return new ZooKeeperFencedLock(
        client,
        true,
        new ZooKeeperLayout(config.path()),
        config.connectionTimeout(),
        ProcessIdentity.current(),
        Clock.systemUTC());
  }

  /**
   * A ZooKeeper lock on a started client the caller owns and closes after the lock. The lease
   * treats SUSPENDED as SUSPECT whatever error policy the client was built with.
   */
  public static FencedLock zooKeeper(CuratorFramework client, String path) {
    Objects.requireNonNull(client, "client");
    if (client.getState() != CuratorFrameworkState.STARTED) {
      throw new LockException(
          LockException.Category.CONFIGURATION,
          "the Curator client must be started, not " + client.getState());
    }
    return new ZooKeeperFencedLock(
        client,
        false,
        new ZooKeeperLayout(ZooKeeperLockConfig.requirePath(path)),
        Duration.ofMillis(client.getZookeeperClient().getConnectionTimeoutMs()),
        ProcessIdentity.current(),
        Clock.systemUTC());
  }

  /** The status of the file lock in {@code storeDir}, read without acquiring it. */
  public static LockStatus inspectFile(Path storeDir) {
    return FileLockInspector.inspect(new StoreFiles(Objects.requireNonNull(storeDir, "storeDir")));
  }

  /** The status of a ZooKeeper lock, read through a short-lived client. */
  public static LockStatus inspectZooKeeper(ZooKeeperLockConfig config) {
    return ZooKeeperInspector.inspect(Objects.requireNonNull(config, "config"));
  }

  /** The status of a ZooKeeper lock, read with the default client settings. */
  public static LockStatus inspectZooKeeper(String connectString, String path) {
    return inspectZooKeeper(ZooKeeperLockConfig.of(connectString, path));
  }
}
