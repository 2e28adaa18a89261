package io.tandem.lock;

import org.apache.curator.utils.ZKPaths;

// The znodes under a ZooKeeper lock's path.
record ZooKeeperLayout(String path) {

  // Parent of the lock's ephemeral sequential contender nodes; the lowest one holds the lock.
  String lock() {
    return ZKPaths.makePath(path, "lock");
  }

  // Persistent; the latest epoch as decimal text, advanced by compare-and-set.
  String epoch() {
    return ZKPaths.makePath(path, "epoch");
  }

  // Persistent; the holder record, written by each holder after its epoch.
  String holder() {
    return ZKPaths.makePath(path, "holder");
  }
}
