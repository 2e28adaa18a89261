package io.tandem.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// A holder on a three-server ensemble losing its server, then the quorum.
class ZooKeeperClusterTest {

  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperClusterTest.class);
  private static final Duration WAIT = Duration.ofSeconds(40);

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final ExecutorService background = Executors.newCachedThreadPool();
  private TestingCluster cluster;
  private String path;

  @BeforeEach
  void startCluster() throws Exception {
    cluster = ZooKeeperTesting.cluster(3);
    cluster.start();
    path = ZooKeeperTesting.uniquePath("cluster");
  }

  @AfterEach
  void stopEverything() throws Exception {
    background.shutdownNow();
    try {
      for (int i = resources.size() - 1; i >= 0; i--) {
        resources.get(i).close();
      }
    } finally {
      cluster.close();
    }
  }

  @Test
  void shouldSuspectHolderWhenItsServerDiesAndGrantGreaterEpochAfterwards() throws Exception {
    CuratorFramework client =
        track(ZooKeeperTesting.client(cluster.getConnectString(), ZooKeeperTesting.SESSION));
    FencedLock holder = track(FencedLocks.zooKeeper(client, path));
    FencedLock contender = lock();
    Lease held = holder.acquire(WAIT);
    RecordingListener heard = listen(held);
    Future<Granted> next = background.submit(() -> Granted.by(contender, WAIT));
    InstanceSpec connected =
        cluster.findConnectionInstance(client.getZookeeperClient().getZooKeeper());
    assertNotNull(connected, "the holder's server");

    long killedAt = System.nanoTime();
    cluster.killServer(connected);
    long suspectAt = heard.await(LeaseEvent.SUSPECT, WAIT);
    heard.await(LeaseEvent.LOST, WAIT);
    Granted granted = next.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    long grantedAt = granted.atNanos();

    LOG.info(
        "holder's server killed: SUSPECT after {} ms, next holder granted after {} ms",
        millis(suspectAt - killedAt),
        millis(grantedAt - killedAt));
    assertTrue(suspectAt < grantedAt, "SUSPECT must come before the next grant");
    assertTrue(heard.first(LeaseEvent.LOST).orElseThrow().reason().startsWith("reconnected"));
    assertTrue(granted.lease().epoch() > held.epoch());
    granted.lease().close();
    try (Lease again = holder.acquire(WAIT)) {
      assertTrue(again.epoch() > granted.lease().epoch(), "the old holder re-acquires anew");
    }
  }

  @Test
  void shouldSuspectHolderWhenQuorumIsLostAndGrantGreaterEpochOnceItReturns() throws Exception {
    FencedLock holder = lock();
    FencedLock contender = lock();
    Lease held = holder.acquire(WAIT);
    RecordingListener heard = listen(held);
    List<InstanceSpec> lost = new ArrayList<>(cluster.getInstances()).subList(0, 2);

    long killedAt = System.nanoTime();
    for (InstanceSpec spec : lost) {
      cluster.killServer(spec);
    }
    long suspectAt = heard.await(LeaseEvent.SUSPECT, WAIT);
    LockException noQuorum = assertThrows(LockException.class, contender::tryAcquire);
    assertEquals(LockException.Category.ZOOKEEPER, noQuorum.category());
    assertFalse(held.isValid());
    for (InstanceSpec spec : lost) {
      cluster.restartServer(spec);
    }
    Lease granted = contender.acquire(WAIT);
    long grantedAt = System.nanoTime();

    LOG.info(
        "quorum lost: SUSPECT after {} ms, next holder granted after {} ms",
        millis(suspectAt - killedAt),
        millis(grantedAt - killedAt));
    heard.await(LeaseEvent.LOST, WAIT);
    assertTrue(suspectAt < grantedAt);
    assertTrue(granted.epoch() > held.epoch());
  }

  private FencedLock lock() {
    return track(
        FencedLocks.zooKeeper(
            ZooKeeperTesting.config(cluster.getConnectString(), path, ZooKeeperTesting.SESSION)));
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }

  private static RecordingListener listen(Lease lease) {
    RecordingListener listener = new RecordingListener();
    lease.addListener(listener);
    return listener;
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
