package io.tandem.agent.failover;

import io.tandem.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.zookeeper.ZooKeeper;

/*
 * A three-server ZooKeeper ensemble in the test JVM, with a short tick so that sessions of a few
 * seconds are honoured (the servers clamp session timeouts to 2..20 ticks unless told otherwise).
 */
final class Ensemble implements AutoCloseable {
  private static final int TICK_MS = 200;

  final TestingCluster cluster;

  private Ensemble(TestingCluster cluster) {
    this.cluster = cluster;
  }

  static Ensemble start() throws Exception {
    List<InstanceSpec> specs = new ArrayList<>();
    for (int id = 1; id <= 3; id++) {
      Map<String, Object> tuning =
          Map.of("maxSessionTimeout", "30000", "initLimit", "25", "syncLimit", "10");
      specs.add(new InstanceSpec(null, -1, -1, -1, true, id, TICK_MS, -1, tuning));
    }
    TestingCluster cluster = new TestingCluster(specs);
    cluster.start();
    return new Ensemble(cluster);
  }

  String connectString() {
    return cluster.getConnectString();
  }

  List<InstanceSpec> servers() {
    return new ArrayList<>(cluster.getInstances());
  }

  /*
   * Waits until a restarted server has rejoined the quorum: a server answers a client only once it
   * is in sync with the leader, so a read through a client that knows only this server succeeds
   * only then. Killing the next server before that would leave no quorum.
   */
  void awaitServing(InstanceSpec server, Duration timeout) throws Exception {
    ZooKeeper client = new ZooKeeper("127.0.0.1:" + server.getPort(), 10_000, event -> {});
    try {
      Await.until(
          "ZooKeeper server " + server.getPort() + " serves clients again",
          timeout,
          () -> {
            try {
              return client.exists("/", false) != null;
            } catch (Exception e) {
              return false;
            }
          });
    } finally {
      client.close();
    }
  }

  @Override
  public void close() throws java.io.IOException {
    cluster.close();
  }
}
