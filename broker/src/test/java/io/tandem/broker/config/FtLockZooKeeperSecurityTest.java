package io.tandem.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.BrokerException;
import io.tandem.lock.ZooKeeperSecurity;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

// The ft_lock_zookeeper_* keys: read against the file's directory, refused with file:line.
class FtLockZooKeeperSecurityTest {
  private static final String PAIR =
      "ft_active = amqp://peer:7222\nft_lock = zookeeper://z1:2181,z2:2181/tandem/p1\n";

  @TempDir Path dir;

  private ZooKeeperSecurity load(String text) throws Exception {
    return ConfigLoader.load(conf(text)).ft().zooKeeperLock().security();
  }

  private Path conf(String text) throws Exception {
    Path f = dir.resolve("tandem.conf");
    Files.writeString(f, text);
    return f;
  }

  private String error(String text) throws Exception {
    Path f = conf(text);
    BrokerException e = assertThrows(BrokerException.class, () -> ConfigLoader.load(f));
    assertEquals(BrokerException.Category.CONFIG, e.category());
    return e.getMessage();
  }

  @Test
  void shouldReadDigestAuthWithCreatorAclByDefault() throws Exception {
    Files.writeString(dir.resolve("zk.secret"), "tandem:s3cret\n");
    ZooKeeperSecurity security =
        load(PAIR + "ft_lock_zookeeper_auth = digest\nft_lock_zookeeper_auth_file = zk.secret\n");
    assertEquals(ZooKeeperSecurity.Auth.DIGEST, security.auth());
    assertEquals(dir.resolve("zk.secret"), security.authFile());
    assertEquals(ZooKeeperSecurity.Acl.CREATOR, security.acl());
    assertFalse(security.tls());
    assertFalse(security.toString().contains("s3cret"), "the secret is never held");
  }

  @Test
  void shouldReadTlsWithATrustStore() throws Exception {
    Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    ZooKeeperSecurity security =
        load(PAIR + "ft_lock_zookeeper_tls = enabled\nft_lock_zookeeper_trust_store = ca.pem\n");
    assertTrue(security.tls());
    assertEquals(dir.resolve("ca.pem"), security.trustStore());
    assertEquals(ZooKeeperSecurity.Acl.OPEN, security.acl());
  }

  @Test
  void shouldDefaultToNoSecurity() throws Exception {
    assertEquals(ZooKeeperSecurity.NONE, load(PAIR));
  }

  @Test
  void shouldRefuseAMissingSecretFileWithFileAndLine() throws Exception {
    String message =
        error(PAIR + "ft_lock_zookeeper_auth = digest\nft_lock_zookeeper_auth_file = nope\n");
    assertTrue(message.contains("tandem.conf:4: file '"), message);
    assertTrue(message.contains("does not exist or is not readable"), message);
  }

  @Test
  void shouldRefuseAMalformedSecretWithoutPrintingIt() throws Exception {
    Files.writeString(dir.resolve("zk.secret"), "no-colon-s3cret\n");
    String message =
        error(PAIR + "ft_lock_zookeeper_auth = digest\nft_lock_zookeeper_auth_file = zk.secret\n");
    assertTrue(message.contains("tandem.conf:4: ZooKeeper secret file"), message);
    assertFalse(message.contains("s3cret"), message);
  }

  @Test
  void shouldRefuseBadValuesWithFileAndLine() throws Exception {
    assertTrue(
        error(PAIR + "ft_lock_zookeeper_auth = kerberos\n")
            .contains("tandem.conf:3: 'kerberos' is not one of none, digest, sasl"));
    assertTrue(
        error(PAIR + "ft_lock_zookeeper_auth = digest\n")
            .contains("tandem.conf:3: auth digest needs ft_lock_zookeeper_auth_file"));
    assertTrue(
        error(PAIR + "ft_lock_zookeeper_acl = creator\n")
            .contains("tandem.conf:3: acl creator needs an identity"));
    assertTrue(
        error(PAIR + "ft_lock_zookeeper_tls = yes\n")
            .contains("tandem.conf:3: 'yes' is not enabled or disabled"));
    assertTrue(
        error(PAIR + "ft_lock_zookeeper_trust_store = tandem.conf\n")
            .contains("tandem.conf:3: ft_lock_zookeeper_trust_store is set but"));
  }

  @Test
  void shouldRefuseTheKeysWithoutAZooKeeperLock() throws Exception {
    assertTrue(
        error("ft_active = amqp://peer:7222\nft_lock_zookeeper_tls = enabled\n")
            .contains(":2: ft_lock_zookeeper_tls is set but ft_lock is not a zookeeper:// lock"));
    assertTrue(
        error("ft_lock_zookeeper_tls = enabled\n")
            .contains(":1: ft_lock_zookeeper_tls is set but ft_active"));
  }
}
