package io.tandem.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/*
 * A lock created with digest authentication and creator ACLs, against a real in-process server:
 * the holder's identity owns every znode, and a client with other or no credentials can neither
 * change them nor take the lock.
 */
class ZooKeeperAclTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private static TestingServer server;

  @TempDir Path dir;

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
  private final Logger lockLog = Logger.getLogger(ZooKeeperFencedLock.class.getName());
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            warnings.add(record);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
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
  void setUp() {
    path = ZooKeeperTesting.uniquePath("acl");
    lockLog.addHandler(capture);
  }

  @AfterEach
  void closeEverything() throws Exception {
    lockLog.removeHandler(capture);
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  @Test
  void shouldGiveEveryZnodeOfTheLockToTheDigestIdentityOnly() throws Exception {
    FencedLock lock = lock(digest("alice", "alice-secret", ZooKeeperSecurity.Acl.CREATOR));
    lock.acquire(WAIT);

    String alice = "alice:" + hashOf("alice:alice-secret");
    CuratorFramework admin = client(List.of("alice:alice-secret"));
    for (String znode : List.of(path, path + "/lock", path + "/epoch", path + "/holder")) {
      List<ACL> acls = admin.getACL().forPath(znode);
      assertEquals(1, acls.size(), znode + ": " + acls);
      assertEquals("digest", acls.get(0).getId().getScheme(), znode);
      assertEquals(alice, acls.get(0).getId().getId(), znode);
    }
  }

  @Test
  void shouldDenyClientsWithOtherOrNoCredentials() throws Exception {
    FencedLock lock = lock(digest("alice", "alice-secret", ZooKeeperSecurity.Acl.CREATOR));
    Lease lease = lock.acquire(WAIT);

    for (CuratorFramework intruder :
        List.of(client(List.of()), client(List.of("mallory:guess")), client(List.of("alice:x")))) {
      assertDenied(() -> intruder.setData().forPath(path + "/epoch", "0".getBytes()));
      assertDenied(() -> intruder.delete().forPath(path + "/holder"));
      assertDenied(() -> intruder.delete().deletingChildrenIfNeeded().forPath(path));
      assertDenied(() -> intruder.create().forPath(path + "/lock/_c_forged-lock-0000000000"));
      assertDenied(() -> intruder.getData().forPath(path + "/epoch"));
      assertDenied(() -> intruder.setACL().withACL(openAcl()).forPath(path + "/epoch"));
    }
    assertTrue(lease.isValid(), "the holder keeps the lock");
  }

  @Test
  void shouldRefuseTheLockToAnotherIdentity() throws Exception {
    FencedLock lock = lock(digest("alice", "alice-secret", ZooKeeperSecurity.Acl.CREATOR));
    lock.acquire(WAIT).close();

    FencedLock mallory = lock(digest("mallory", "guess", ZooKeeperSecurity.Acl.CREATOR));
    LockException refused = assertThrows(LockException.class, mallory::tryAcquire);
    assertEquals(LockException.Category.DENIED, refused.category(), refused.getMessage());
    FencedLock anonymous = lock(ZooKeeperSecurity.NONE);
    LockException blocking = assertThrows(LockException.class, () -> anonymous.acquire(WAIT));
    assertEquals(LockException.Category.DENIED, blocking.category(), "not retried until WAIT");
  }

  @Test
  void shouldLetTheRightfulIdentityTakeTheLockAgainWithTheNextEpoch() throws Exception {
    ZooKeeperSecurity alice = digest("alice", "alice-secret", ZooKeeperSecurity.Acl.CREATOR);
    FencedLock first = lock(alice);
    assertEquals(1, first.acquire(WAIT).epoch());
    first.close();

    FencedLock second = lock(alice);
    Lease lease = second.acquire(WAIT);

    assertEquals(2, lease.epoch());
    assertTrue(second.status().held());
    assertEquals(2, second.status().latestEpoch());
  }

  @Test
  void shouldLetOthersReadButNotWriteWithCreatorRead() throws Exception {
    FencedLock lock = lock(digest("alice", "alice-secret", ZooKeeperSecurity.Acl.CREATOR_READ));
    lock.acquire(WAIT);

    CuratorFramework reader = client(List.of());
    assertEquals(
        "1", new String(reader.getData().forPath(path + "/epoch"), StandardCharsets.UTF_8));
    assertDenied(() -> reader.setData().forPath(path + "/epoch", "0".getBytes()));
    assertTrue(
        FencedLocks.inspectZooKeeper(ZooKeeperTesting.config(server.getConnectString(), path, WAIT))
            .held());
  }

  @Test
  void shouldWarnWhenTheLocksZnodesAreWritableByOthers() {
    FencedLock lock = lock(ZooKeeperSecurity.NONE);
    lock.acquire(WAIT);

    Await.until("a warning about the open ACL", WAIT, () -> !warnings.isEmpty());
    String message = formatted(warnings.get(0));
    assertTrue(message.contains("writable by others"), message);
    assertTrue(message.contains(path + "/epoch world:anyone:cdrwa"), message);
  }

  @Test
  void shouldFindNothingWritableByOthersUnderItsOwnCreatorAcl() throws Exception {
    ZooKeeperSecurity alice = digest("alice", "alice-secret", ZooKeeperSecurity.Acl.CREATOR_READ);
    FencedLock lock = lock(alice);
    lock.acquire(WAIT);

    CuratorFramework client =
        ZooKeeperClients.builder(
                ZooKeeperTesting.config(server.getConnectString(), path, WAIT).withSecurity(alice))
            .build();
    resources.add(client);
    client.start();
    assertTrue(client.blockUntilConnected(20, TimeUnit.SECONDS), "connected");
    assertEquals(List.of(), ZooKeeperAclCheck.writableByOthers(client, new ZooKeeperLayout(path)));
  }

  private static void assertDenied(Executable call) {
    Exception e = assertThrows(Exception.class, call::run);
    assertTrue(e instanceof KeeperException.NoAuthException, e.toString());
  }

  private interface Executable {
    void run() throws Exception;
  }

  private ZooKeeperSecurity digest(String user, String password, ZooKeeperSecurity.Acl acl)
      throws Exception {
    Path secret = Files.createTempFile(dir, user, ".secret");
    Files.writeString(secret, user + ":" + password + "\n");
    return new ZooKeeperSecurity(
        ZooKeeperSecurity.Auth.DIGEST, secret, acl, false, null, null, null, null, null);
  }

  private FencedLock lock(ZooKeeperSecurity security) {
    return lock(security, path);
  }

  private FencedLock lock(ZooKeeperSecurity security, String lockPath) {
    FencedLock lock =
        FencedLocks.zooKeeper(
            ZooKeeperTesting.config(server.getConnectString(), lockPath, Duration.ofSeconds(3))
                .withSecurity(security));
    resources.add(lock);
    return lock;
  }

  private CuratorFramework client(List<String> digests) throws InterruptedException {
    CuratorFrameworkFactory.Builder builder =
        CuratorFrameworkFactory.builder()
            .connectString(server.getConnectString())
            .retryPolicy(new ExponentialBackoffRetry(100, 1))
            .ensembleTracker(false);
    for (String digest : digests) {
      builder.authorization("digest", digest.getBytes(StandardCharsets.UTF_8));
    }
    CuratorFramework client = builder.build();
    resources.add(client);
    client.start();
    assertTrue(client.blockUntilConnected(20, TimeUnit.SECONDS), "connected");
    return client;
  }

  private static String hashOf(String userPassword) throws Exception {
    String digest = DigestAuthenticationProvider.generateDigest(userPassword);
    return digest.substring(digest.indexOf(':') + 1);
  }

  private static List<ACL> openAcl() {
    return new ArrayList<>(List.of(new ACL(ZooDefs.Perms.ALL, new Id("world", "anyone"))));
  }

  private static String formatted(LogRecord record) {
    return new java.util.logging.SimpleFormatter().formatMessage(record);
  }
}
