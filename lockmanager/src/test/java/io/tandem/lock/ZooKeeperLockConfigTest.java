package io.tandem.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ZooKeeperLockConfigTest {

  @Test
  void shouldFillDefaults() {
    ZooKeeperLockConfig config = ZooKeeperLockConfig.of("zk1:2181,zk2:2181", "/tandem/prod");

    assertEquals(Duration.ofSeconds(10), config.sessionTimeout());
    assertEquals(Duration.ofSeconds(5), config.connectionTimeout());
    assertEquals(3, config.retryMaxAttempts());
  }

  @Test
  void shouldRefuseBadPathsWithReason() {
    for (String path : new String[] {"tandem", "/", "/tandem/", "/a//b", "/zookeeper", "/a b"}) {
      assertInvalid(() -> ZooKeeperLockConfig.of("zk:2181", path));
    }
  }

  @Test
  void shouldRefuseBadTimeoutsAndRetries() {
    ZooKeeperLockConfig config = ZooKeeperLockConfig.of("zk:2181", "/tandem/prod");

    assertInvalid(() -> config.withSessionTimeout(Duration.ZERO));
    assertInvalid(() -> config.withConnectionTimeout(Duration.ofMillis(-1)));
    assertInvalid(() -> config.withRetry(Duration.ofSeconds(2), Duration.ofSeconds(1), 3));
    assertInvalid(() -> config.withRetry(Duration.ofMillis(10), Duration.ofSeconds(1), 30));
    assertInvalid(() -> ZooKeeperLockConfig.of(" ", "/tandem/prod"));
  }

  private static void assertInvalid(Executable executable) {
    LockException e = assertThrows(LockException.class, executable);
    assertEquals(LockException.Category.CONFIGURATION, e.category(), e.getMessage());
  }
}
