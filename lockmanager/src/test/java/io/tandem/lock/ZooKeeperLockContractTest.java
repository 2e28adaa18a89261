package io.tandem.lock;

import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

class ZooKeeperLockContractTest extends FencedLockContract {

  private static TestingServer server;

  private String path;

  @BeforeAll
  static void startServer() throws Exception {
    server = ZooKeeperTesting.server();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @BeforeEach
  void newPath() {
    path = ZooKeeperTesting.uniquePath("contract");
  }

  @Override
  FencedLock newContender() {
    return FencedLocks.zooKeeper(
        ZooKeeperTesting.config(server.getConnectString(), path, ZooKeeperTesting.SESSION));
  }
}
