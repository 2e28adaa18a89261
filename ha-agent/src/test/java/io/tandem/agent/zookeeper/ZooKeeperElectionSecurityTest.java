package io.tandem.agent.zookeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.agent.AgentException;
import io.tandem.lock.ZooKeeperLockConfig;
import io.tandem.lock.ZooKeeperSecurity;
import io.tandem.testing.Await;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

// The agent's election against a real ZooKeeper: open lock paths are reported, protected ones hold.
class ZooKeeperElectionSecurityTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private final Logger lockLog = Logger.getLogger("io.tandem.lock");
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            warnings.add(record.getMessage());
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private TestingServer server;

  @BeforeEach
  void start() throws Exception {
    server = new TestingServer(true);
    resources.add(server);
    lockLog.addHandler(capture);
  }

  @AfterEach
  void stop() throws Exception {
    lockLog.removeHandler(capture);
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  @Test
  void shouldWarnNamingThePathAndTheAclWhenTheLockPathIsWritableByOthers() {
    ZooKeeperElection election = election("/tandem/open", ZooKeeperSecurity.NONE, "alpha");
    assertTrue(election.await(WAIT).isPresent());

    Await.until(
        () -> "a warning about the open path; heard " + warnings,
        WAIT,
        () -> warnings.stream().anyMatch(w -> w.contains("writable by others")));
    String warning =
        warnings.stream().filter(w -> w.contains("writable by others")).findFirst().orElseThrow();
    assertTrue(warning.contains("/tandem/open world:anyone:cdrwa"), warning);
  }

  @Test
  void shouldKeepAnotherIdentityFromTheLockAndTheActiveRecord() throws Exception {
    ZooKeeperElection alpha = election("/tandem/orders", digest("tandem", "pair-secret"), "alpha");
    assertTrue(alpha.await(WAIT).isPresent());
    alpha.recordActive(1);

    ZooKeeperElection rogue = election("/tandem/orders", digest("rogue", "guess"), "rogue");
    AgentException refused = assertThrows(AgentException.class, () -> rogue.await(WAIT));
    assertEquals(AgentException.Category.ZOOKEEPER, refused.category());
    assertTrue(refused.getMessage().contains("NoAuth"), refused.getMessage());

    CuratorFramework anonymous =
        CuratorFrameworkFactory.newClient(
            server.getConnectString(), new ExponentialBackoffRetry(100, 1));
    resources.add(anonymous);
    anonymous.start();
    assertTrue(anonymous.blockUntilConnected(20, TimeUnit.SECONDS));
    assertThrows(
        KeeperException.NoAuthException.class,
        () -> anonymous.delete().forPath("/tandem/orders/active-node"));
    assertThrows(
        KeeperException.NoAuthException.class,
        () -> anonymous.setData().forPath("/tandem/orders/epoch", "0".getBytes()));
    assertTrue(
        warnings.stream().noneMatch(w -> w.contains("/tandem/orders ")), warnings.toString());
  }

  private ZooKeeperSecurity digest(String user, String password) throws Exception {
    Path secret = Files.createTempFile(dir, user, ".secret");
    Files.writeString(secret, user + ":" + password + "\n");
    return new ZooKeeperSecurity(
        ZooKeeperSecurity.Auth.DIGEST,
        secret,
        ZooKeeperSecurity.Acl.CREATOR,
        false,
        null,
        null,
        null,
        null,
        null);
  }

  private ZooKeeperElection election(String path, ZooKeeperSecurity security, String node) {
    ZooKeeperLockConfig config =
        ZooKeeperLockConfig.of(server.getConnectString(), path)
            .withSessionTimeout(Duration.ofSeconds(6))
            .withConnectionTimeout(Duration.ofSeconds(3))
            .withSecurity(security);
    ZooKeeperElection election = new ZooKeeperElection(config, Duration.ofMillis(500), node);
    resources.add(election);
    return election;
  }
}
