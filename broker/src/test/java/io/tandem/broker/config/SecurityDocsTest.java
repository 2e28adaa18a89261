package io.tandem.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.lock.ZooKeeperSecurity;
import io.tandem.testing.DocBlocks;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configurations in docs/security.md load as the page says. */
class SecurityDocsTest {
  private static final Path DOC = Path.of("../docs/security.md");
  @TempDir Path dir;

  @Test
  void shouldLoadTheZooKeeperExampleWithItsSecretFile() throws Exception {
    Files.writeString(dir.resolve("zk.secret"), only("zk.secret"));
    Files.writeString(dir.resolve("zk-ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    Path conf = dir.resolve("tandem.conf");
    Files.writeString(conf, only("conf-zk-secure"));

    BrokerConfig config = ConfigLoader.load(conf);

    ZooKeeperSecurity security = config.ft().zooKeeperLock().security();
    assertEquals("/tandem/orders", config.ft().zooKeeperLock().path());
    assertEquals(ZooKeeperSecurity.Auth.DIGEST, security.auth());
    assertEquals(dir.resolve("zk.secret"), security.authFile());
    assertEquals(ZooKeeperSecurity.Acl.CREATOR, security.acl());
    assertTrue(security.tls());
    assertEquals(dir.resolve("zk-ca.pem"), security.trustStore());
  }

  private static String only(String tag) throws Exception {
    return DocBlocks.only(DOC, tag);
  }
}
