package io.tandem.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.TcpProxy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.KillSession;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * A ZooKeeper holder losing its connection or session, against a real in-process server. In each
 * case the old holder must have been told SUSPECT before a new holder was granted the lock, and the
 * epochs must tell the two apart.
 */
class ZooKeeperLockFailureTest {

  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperLockFailureTest.class);
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static TestingServer server;

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final ExecutorService background = Executors.newCachedThreadPool();
  private String path;

  @BeforeAll
  static void startServer() throws Exception {
    server = ZooKeeperTesting.server();
  }

  @AfterAll
  static void stopServer() throws IOException {
    server.close();
  }

  @BeforeEach
  void newPath() {
    path = ZooKeeperTesting.uniquePath("failure");
  }

  @AfterEach
  void closeEverything() throws Exception {
    background.shutdownNow();
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  @Test
  void shouldTellPartitionedHolderSuspectBeforeAnotherHolderIsGranted() throws Exception {
    Duration session = Duration.ofSeconds(4);
    TcpProxy proxy = track(new TcpProxy(server.getPort()));
    FencedLock holder = lock(proxy.connectString(), session);
    FencedLock contender = lock(server.getConnectString(), session);
    Lease held = holder.acquire(WAIT);
    RecordingListener heard = listen(held);
    Future<Granted> next = background.submit(() -> Granted.by(contender, WAIT));

    long partitionedAt = System.nanoTime();
    proxy.freeze();
    Granted granted = next.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    long suspectAt = heard.first(LeaseEvent.SUSPECT).orElseThrow().atNanos();
    LOG.info(
        "partition of a holder with a {} s session: SUSPECT after {} ms, next holder granted"
            + " after {} ms",
        session.toSeconds(),
        millisBetween(partitionedAt, suspectAt),
        millisBetween(partitionedAt, granted.atNanos()));
    assertTrue(suspectAt < granted.atNanos(), "SUSPECT must come before the next grant");
    assertFalse(held.isValid());
    assertTrue(granted.lease().epoch() > held.epoch());

    proxy.thaw();
    heard.await(LeaseEvent.LOST, WAIT);
  }

  /*
   * An injected expiry is not a partition: depending on thread timing, KillSession can make the
   * client close its session on the server before the client's own watcher hears of it. The next
   * holder may then be granted before the old one is told anything, which ZooKeeper cannot prevent;
   * the epochs still tell them apart, and the old holder is told SUSPECT then LOST.
   */
  @Test
  void shouldEndLeaseWhenSessionExpiresAndGrantGreaterEpochAfterwards() throws Exception {
    CuratorFramework client =
        track(ZooKeeperTesting.client(server.getConnectString(), ZooKeeperTesting.SESSION));
    FencedLock holder = track(FencedLocks.zooKeeper(client, path));
    FencedLock contender = lock(server.getConnectString(), ZooKeeperTesting.SESSION);
    Lease held = holder.acquire(WAIT);
    RecordingListener heard = listen(held);
    Future<Granted> next = background.submit(() -> Granted.by(contender, WAIT));

    KillSession.kill(client.getZookeeperClient().getZooKeeper());
    heard.await(LeaseEvent.LOST, WAIT);
    Granted granted = next.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    heard.assertHeardExactly(LeaseEvent.SUSPECT, LeaseEvent.LOST);
    assertFalse(held.isValid());
    assertTrue(granted.lease().epoch() > held.epoch());
    granted.lease().close();
    try (Lease again = holder.acquire(WAIT)) {
      assertTrue(again.epoch() > granted.lease().epoch(), "the old holder re-acquires anew");
    }
  }

  @Test
  void shouldEndSuspectLeaseOnReconnectAndRequireNewEpoch() throws Exception {
    TcpProxy proxy = track(new TcpProxy(server.getPort()));
    FencedLock holder = lock(proxy.connectString(), Duration.ofSeconds(10));
    Lease held = holder.acquire(WAIT);
    RecordingListener heard = listen(held);

    proxy.dropConnections();
    heard.await(LeaseEvent.SUSPECT, WAIT);
    heard.await(LeaseEvent.LOST, WAIT);

    assertTrue(heard.first(LeaseEvent.LOST).orElseThrow().reason().startsWith("reconnected"));
    try (Lease again = holder.acquire(WAIT)) {
      assertEquals(held.epoch() + 1, again.epoch());
      assertTrue(again.isValid());
    }
  }

  @Test
  void shouldReportUnreachableEnsembleAsZooKeeperFailureInBoundedTime() throws IOException {
    String nowhere = "127.0.0.1:" + unusedPort();
    ZooKeeperLockConfig config =
        ZooKeeperTesting.config(nowhere, path, ZooKeeperTesting.SESSION)
            .withConnectionTimeout(Duration.ofMillis(500));
    FencedLock lock = track(FencedLocks.zooKeeper(config));

    long start = System.nanoTime();
    LockException once = assertThrows(LockException.class, lock::tryAcquire);
    LockException waited =
        assertThrows(LockException.class, () -> lock.acquire(Duration.ofSeconds(1)));
    LockException inspected =
        assertThrows(LockException.class, () -> FencedLocks.inspectZooKeeper(config));

    assertEquals(LockException.Category.ZOOKEEPER, once.category());
    assertEquals(LockException.Category.ZOOKEEPER, waited.category());
    assertEquals(LockException.Category.ZOOKEEPER, inspected.category());
    assertTrue(inspected.getMessage().contains(nowhere), inspected.getMessage());
    long tookMs = millisBetween(start, System.nanoTime());
    LOG.info("three failed operations against an unreachable ensemble took {} ms", tookMs);
    assertTrue(tookMs < 20_000);
  }

  @Test
  void shouldInspectHolderWithoutAcquiring() {
    FencedLock holder = lock(server.getConnectString(), ZooKeeperTesting.SESSION);
    ZooKeeperLockConfig config =
        ZooKeeperTesting.config(server.getConnectString(), path, ZooKeeperTesting.SESSION);
    assertFalse(FencedLocks.inspectZooKeeper(config).held());

    Lease lease = holder.acquire(WAIT);
    LockStatus held = FencedLocks.inspectZooKeeper(server.getConnectString(), path);
    lease.close();
    LockStatus released = FencedLocks.inspectZooKeeper(config);

    assertTrue(held.holderIsCurrent(), held.describe());
    assertEquals(lease.epoch(), held.latestEpoch());
    assertFalse(released.held());
    assertEquals(held.lastHolder(), released.lastHolder());
  }

  private FencedLock lock(String connectString, Duration session) {
    return track(FencedLocks.zooKeeper(ZooKeeperTesting.config(connectString, path, session)));
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

  private static long millisBetween(long fromNanos, long toNanos) {
    return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
  }

  private static int unusedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
