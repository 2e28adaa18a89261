package io.tandem.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.agent.AgentException;
import io.tandem.agent.Standby;
import io.tandem.lock.ZooKeeperSecurity;
import io.tandem.testing.DocBlocks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigLoaderTest {
  private static final Path DOC = Path.of("../docs/ha-agent.md");
  private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
  private static final String MINIMAL =
      "node = alpha\nzookeeper = zk1:2181,zk2:2181\nstore = store\nbroker_config = tandem.conf\n"
          + "health_url = http://127.0.0.1:9672/health\n";

  @TempDir Path dir;

  private AgentConfig load(String text) throws Exception {
    Files.writeString(dir.resolve("tandem.conf"), "store = store\n");
    Path conf = dir.resolve("agent.conf");
    Files.writeString(conf, text);
    return AgentConfigLoader.load(conf, HOME);
  }

  private String refused(String text) {
    return assertThrows(AgentException.class, () -> load(text)).getMessage();
  }

  @Test
  void shouldLoadTheDocumentedExample() throws Exception {
    List<String> blocks = blocks("agent.conf");
    assertEquals(1, blocks.size());

    AgentConfig c = load(blocks.get(0));

    assertEquals("alpha", c.policy().node());
    assertEquals("zk1:2181,zk2:2181,zk3:2181", c.zooKeeper().connectString());
    assertEquals("/tandem/orders", c.zooKeeper().path());
    assertEquals(Duration.ofSeconds(10), c.zooKeeper().sessionTimeout());
    assertEquals(Duration.ofSeconds(2), c.reconnectGrace(), "a fifth of the session timeout");
    assertEquals(Path.of("/srv/tandem/store"), c.store());
    assertEquals("umount /srv/tandem", c.unmount().command().orElseThrow());
    assertEquals(Duration.ofMinutes(5), c.policy().releaseHoldOff());
    assertEquals(Path.of("/run/tandem-ha-agent/agent.sock"), c.controlSocket());
    assertEquals(HOME.resolve("bin/tandem"), c.tandemCommand());
  }

  @Test
  void shouldApplyTheDefaults() throws Exception {
    AgentConfig c = load(MINIMAL);

    assertEquals("/tandem/ha", c.zooKeeper().path());
    assertEquals(Duration.ofSeconds(2), c.policy().monitorInterval());
    assertEquals(3, c.policy().monitorFailures());
    assertEquals(3, c.policy().maxRestarts());
    assertEquals(Duration.ofSeconds(30), c.policy().stopTimeout());
    assertTrue(c.mount().command().isEmpty());
    assertEquals(dir.resolve("../var/ha-agent").normalize(), c.runDir());
    assertEquals(c.runDir().resolve("broker.log"), c.brokerLog());
    assertFalse(c.warmStandby(), "standby = cold unless asked");
  }

  @Test
  void shouldReadTheStandbyKey() throws Exception {
    assertTrue(load(MINIMAL + "standby = warm\n").warmStandby());
    assertFalse(load(MINIMAL + "standby = cold\n").warmStandby());
  }

  @Test
  void shouldReadTheStandbyReadsStoreKeyOnlyWithAWarmStandby() throws Exception {
    assertEquals(Standby.WARM, load(MINIMAL + "standby = warm\n").standby());
    assertEquals(
        Standby.WARM_READING_STORE,
        load(MINIMAL + "standby = warm\nstandby_reads_store = yes\n").standby());
    assertEquals(
        Standby.WARM, load(MINIMAL + "standby = warm\nstandby_reads_store = no\n").standby());
    String cold = refused(MINIMAL + "standby_reads_store = yes\n");
    assertTrue(
        cold.startsWith(
            dir.resolve("agent.conf")
                + ":6: standby_reads_store needs standby = warm: only a standby broker reads"),
        cold);
    String bad = refused(MINIMAL + "standby = warm\nstandby_reads_store = maybe\n");
    assertTrue(bad.startsWith(dir.resolve("agent.conf") + ":7: 'maybe' is not a boolean"), bad);
  }

  @Test
  void shouldRefuseAnUnknownStandbyNamingFileAndLine() {
    String message = refused(MINIMAL + "standby = hot\n");
    assertTrue(
        message.startsWith(dir.resolve("agent.conf") + ":6: 'hot' is not one of warm, cold"),
        message);
  }

  @Test
  void shouldDocumentEveryKeyInTheReferenceTable() throws Exception {
    Set<String> documented = new HashSet<>();
    Matcher key = Pattern.compile("`([a-z_]+)`").matcher("");
    for (String line : Files.readAllLines(DOC)) {
      if (line.startsWith("| `")) {
        key.reset(line.substring(0, line.indexOf(" | ", 2)));
        while (key.find()) {
          documented.add(key.group(1));
        }
      }
    }
    for (String k : AgentConfigLoader.KEYS) {
      assertTrue(documented.contains(k), k + " is not in a table of " + DOC);
    }
  }

  @Test
  void shouldRefuseAnUnknownKeyNamingFileAndLine() {
    String message = refused(MINIMAL + "monitor_intervall = 3\n");
    assertTrue(message.startsWith(dir.resolve("agent.conf") + ":6: unknown key"), message);
  }

  @Test
  void shouldRefuseAMissingRequiredKey() {
    String message = refused(MINIMAL.replace("health_url", "# health_url"));
    assertTrue(message.endsWith("required key 'health_url' is missing"), message);
  }

  @Test
  void shouldRefuseAKeySetTwice() {
    assertTrue(refused(MINIMAL + "node = beta\n").contains(":6: key 'node' is set twice"));
  }

  @Test
  void shouldRefuseABadTime() {
    String message = refused(MINIMAL + "stop_timeout = ten\n");
    assertTrue(message.contains(":6: 'ten' is not a time"), message);
  }

  @Test
  void shouldRefuseAGraceThatLeavesNoTimeToStopBeforeTheSessionExpires() {
    String message = refused(MINIMAL + "session_timeout = 6\nzookeeper_reconnect_grace = 2\n");
    assertTrue(
        message.contains(":7: '2' must be shorter than a third of session_timeout"), message);
  }

  @Test
  void shouldRefuseAMissingBrokerConfig() {
    String message = refused(MINIMAL.replace("tandem.conf", "missing.conf"));
    assertTrue(message.contains(":4: 'missing.conf'"), message);
  }

  @Test
  void shouldRefuseABadLockPath() {
    String message = refused(MINIMAL + "lock_path = tandem/ha/\n");
    assertTrue(message.contains(":6: invalid ZooKeeper lock configuration"), message);
  }

  @Test
  void shouldReadTheZooKeeperSecurityKeysAgainstTheFilesDirectory() throws Exception {
    Files.writeString(dir.resolve("zk.secret"), "tandem:s3cret\n");
    Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");

    AgentConfig c =
        load(
            MINIMAL
                + "zookeeper_auth = digest\nzookeeper_auth_file = zk.secret\n"
                + "zookeeper_acl = creator_read\nzookeeper_tls = enabled\n"
                + "zookeeper_trust_store = ca.pem\n");

    ZooKeeperSecurity security = c.zooKeeper().security();
    assertEquals(ZooKeeperSecurity.Auth.DIGEST, security.auth());
    assertEquals(dir.resolve("zk.secret"), security.authFile());
    assertEquals(ZooKeeperSecurity.Acl.CREATOR_READ, security.acl());
    assertTrue(security.tls());
    assertEquals(dir.resolve("ca.pem"), security.trustStore());
  }

  @Test
  void shouldLoadTheZooKeeperExampleOfTheSecurityGuide() throws Exception {
    Path guide = Path.of("../docs/security.md");
    Files.writeString(dir.resolve("zk.secret"), DocBlocks.read(guide, "zk.secret").get(0));
    Files.writeString(dir.resolve("zk-ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    List<String> blocks = DocBlocks.read(guide, "agent-zk-secure.conf");
    assertEquals(1, blocks.size());

    AgentConfig c = load(blocks.get(0));

    ZooKeeperSecurity security = c.zooKeeper().security();
    assertEquals("/tandem/orders", c.zooKeeper().path());
    assertEquals(ZooKeeperSecurity.Auth.DIGEST, security.auth());
    assertEquals(ZooKeeperSecurity.Acl.CREATOR_READ, security.acl());
    assertTrue(security.tls());
  }

  @Test
  void shouldRefuseBadZooKeeperSecurityWithFileAndLine() {
    assertRefused(
        MINIMAL + "zookeeper_auth = digest\nzookeeper_auth_file = missing.secret\n",
        "agent.conf:7: file '" + dir.resolve("missing.secret") + "' does not exist");
    assertRefused(
        MINIMAL + "zookeeper_auth = kerberos\n",
        "agent.conf:6: 'kerberos' is not one of none, digest, sasl");
    assertRefused(
        MINIMAL + "zookeeper_acl = creator\n",
        "agent.conf:6: acl creator needs an identity to be the creator");
    assertRefused(
        MINIMAL + "zookeeper_auth = sasl\nzookeeper_auth_file = tandem.conf\n",
        "agent.conf:7: zookeeper_auth_file is only read with zookeeper_auth = digest");
  }

  @Test
  void shouldReadPerPackageLogLevels() throws Exception {
    assertEquals(java.util.Map.of(), load(MINIMAL).logLevels().levels());

    AgentConfig c = load(MINIMAL + "log_levels = io.tandem.agent=FINE, org.apache.curator=info\n");

    assertEquals(
        java.util.Map.of(
            "io.tandem.agent",
            java.util.logging.Level.FINE,
            "org.apache.curator",
            java.util.logging.Level.INFO),
        c.logLevels().levels());
  }

  @Test
  void shouldRefuseABadLogLevelNamingFileAndLine() {
    assertRefused(
        MINIMAL + "log_levels = io.tandem.agent=LOUD\n",
        "agent.conf:6: 'LOUD' is not a log level (SEVERE, WARNING, INFO,");
    assertRefused(
        MINIMAL + "log_levels = io.tandem.agent\n",
        "agent.conf:6: 'io.tandem.agent' is not logger=LEVEL");
  }

  @Test
  void shouldRefuseBytesThatAreNotUtf8NamingTheLine() throws Exception {
    Files.writeString(dir.resolve("tandem.conf"), "store = store\n");
    Path conf = dir.resolve("agent.conf");
    byte[] head = MINIMAL.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] bytes = java.util.Arrays.copyOf(head, head.length + 3);
    bytes[head.length] = '#';
    bytes[head.length + 1] = (byte) 0xE9;
    bytes[head.length + 2] = '\n';
    Files.write(conf, bytes);

    String message =
        assertThrows(AgentException.class, () -> AgentConfigLoader.load(conf, HOME)).getMessage();

    assertTrue(message.contains("agent.conf:6: not UTF-8 text"), message);
  }

  private void assertRefused(String text, String expected) {
    String message = refused(text);
    assertTrue(message.contains(expected), message);
  }

  private static List<String> blocks(String tag) throws Exception {
    return DocBlocks.read(DOC, tag);
  }
}
