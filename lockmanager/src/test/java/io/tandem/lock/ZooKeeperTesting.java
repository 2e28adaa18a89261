package io.tandem.lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingServer;

/*
 * In-process ZooKeeper with a short tick, so that sessions of a few seconds are honoured (the
 * server clamps session timeouts to 2..20 ticks unless told otherwise).
 */
final class ZooKeeperTesting {

  static final int TICK_MS = 200;
  static final Duration SESSION = Duration.ofSeconds(3);
  static final Duration CONNECTION = Duration.ofSeconds(2);

  private static final AtomicInteger PATHS = new AtomicInteger();

  private ZooKeeperTesting() {}

  static TestingServer server() throws Exception {
    return new TestingServer(spec(-1), true);
  }

  // Three or more servers; generous init and sync limits so a loaded machine does not flap.
  static TestingCluster cluster(int size) {
    List<InstanceSpec> specs = new ArrayList<>();
    for (int id = 1; id <= size; id++) {
      specs.add(spec(id));
    }
    return new TestingCluster(specs);
  }

  static String uniquePath(String prefix) {
    return "/tandem-test/" + prefix + "-" + PATHS.incrementAndGet();
  }

  static ZooKeeperLockConfig config(String connectString, String path, Duration session) {
    return ZooKeeperLockConfig.of(connectString, path)
        .withSessionTimeout(session)
        .withConnectionTimeout(CONNECTION)
        .withRetry(Duration.ofMillis(100), Duration.ofMillis(500), 3);
  }

  // A started client the test owns, for locks built on a caller's client.
  static CuratorFramework client(String connectString, Duration session) {
    CuratorFramework client =
        CuratorFrameworkFactory.builder()
            .connectString(connectString)
            .sessionTimeoutMs((int) session.toMillis())
            .connectionTimeoutMs((int) CONNECTION.toMillis())
            .retryPolicy(new ExponentialBackoffRetry(100, 3, 500))
            .ensembleTracker(false)
            .build();
    client.start();
    return client;
  }

  private static InstanceSpec spec(int serverId) {
    Map<String, Object> tuning =
        Map.of("maxSessionTimeout", "20000", "initLimit", "25", "syncLimit", "10");
    return new InstanceSpec(null, -1, -1, -1, true, serverId, TICK_MS, -1, tuning);
  }
}
