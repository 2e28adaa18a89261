package io.tandem.lock;

import java.nio.charset.StandardCharsets;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/*
 * The epoch znode: read with its version, write the next value only if the version is unchanged.
 * Each successful compare-and-set issues exactly one epoch, so epochs are unique and increase in
 * the order they were issued, even if a stale holder were still trying.
 */
final class ZooKeeperEpoch {

  // A few rounds cover a lost reply to a write that did succeed; more means something is off.
  private static final int MAX_ROUNDS = 10;

  private static final int MAX_BYTES = 64;

  private ZooKeeperEpoch() {}

  static long advance(CuratorFramework client, String path) {
    return ZooKeeperCalls.run("advancing the epoch in " + path, () -> compareAndSet(client, path));
  }

  // The stored epoch, or 0 if none was ever issued.
  static long read(CuratorFramework client, String path) {
    return ZooKeeperCalls.run("reading the epoch in " + path, () -> readOrZero(client, path));
  }

  private static long compareAndSet(CuratorFramework client, String path) throws Exception {
    for (int round = 0; round < MAX_ROUNDS; round++) {
      Stat stat = new Stat();
      byte[] data;
      try {
        data = client.getData().storingStatIn(stat).forPath(path);
      } catch (KeeperException.NoNodeException e) {
        if (create(client, path)) {
          return 1;
        }
        continue;
      }
      long next = Math.addExact(decode(data, path), 1);
      try {
        client.setData().withVersion(stat.getVersion()).forPath(path, encode(next));
        return next;
      } catch (KeeperException.BadVersionException e) {
        // changed since we read it (e.g. our own retried write landed): read again
      }
    }
    throw new LockException(
        LockException.Category.ZOOKEEPER,
        "the epoch znode "
            + path
            + " kept changing under the lock holder; is another writer using it?");
  }

  private static long readOrZero(CuratorFramework client, String path) throws Exception {
    try {
      return decode(client.getData().forPath(path), path);
    } catch (KeeperException.NoNodeException e) {
      return 0;
    }
  }

  static long decode(byte[] data, String path) {
    String text =
        data == null || data.length > MAX_BYTES
            ? "?"
            : new String(data, StandardCharsets.US_ASCII).strip();
    try {
      long epoch = Long.parseLong(text);
      if (epoch >= 0) {
        return epoch;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new LockException(
        LockException.Category.CORRUPT,
        "the epoch znode "
            + path
            + " does not hold an epoch; refusing to guess one, since a lower epoch would let a"
            + " stale writer in");
  }

  static byte[] encode(long epoch) {
    return Long.toString(epoch).getBytes(StandardCharsets.US_ASCII);
  }

  private static boolean create(CuratorFramework client, String path) throws Exception {
    try {
      client.create().creatingParentsIfNeeded().forPath(path, encode(1));
      return true;
    } catch (KeeperException.NodeExistsException e) {
      return false;
    }
  }
}
