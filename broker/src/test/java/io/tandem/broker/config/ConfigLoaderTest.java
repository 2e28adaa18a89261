package io.tandem.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.BrokerException;
import io.tandem.broker.security.Users;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

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
  void shouldReadEveryKeyWithUnitsAndResolvePathsAgainstTheFile() throws Exception {
    Files.writeString(dir.resolve("q.conf"), ">\n");
    Files.writeString(dir.resolve("users"), "a:b\n");
    BrokerConfig c =
        ConfigLoader.load(
            conf(
                """
                # comment
                server = east-1   # trailing comment
                listen = amqp://0.0.0.0:5672, amqp://127.0.0.1:5673
                admin_listen = http://127.0.0.1:9000
                store = data/store
                queues = q.conf
                max_msg_memory = 64MB
                users = users
                max_connections = 10
                amqp_idle_timeout = 30sec
                amqp_max_frame_size = 64KB
                max_msg_size = 1MB
                """));
    assertEquals("east-1", c.server());
    assertEquals(2, c.listen().size());
    assertEquals(5673, c.listen().get(1).port());
    assertEquals(dir.resolve("data/store"), c.store());
    assertEquals(64L << 20, c.maxMsgMemory());
    assertEquals(Duration.ofSeconds(30), c.idleTimeout());
    assertEquals(65536, c.maxFrameSize());
    assertEquals(1 << 20, c.maxMsgSize());
    assertEquals(10, c.maxConnections());
  }

  @Test
  void shouldNameFileLineAndReasonForUnknownKeys() throws Exception {
    String msg = error("server = a\nlisten = amqp://127.0.0.1:1\nflavour = vanilla\n");
    assertTrue(msg.contains("tandem.conf:3: unknown key 'flavour'"), msg);
  }

  @Test
  void shouldReadTheAdminKeysAndRefuseWhatAdminPublicCannotList() throws Exception {
    BrokerConfig defaults = ConfigLoader.load(conf("server = a\n"));
    assertEquals(java.util.Set.of("health", "metrics"), defaults.adminAccess().publicPaths());
    assertFalse(defaults.security().authorization());
    BrokerConfig c =
        ConfigLoader.load(conf("admin_public = none\nadmin_hostnames = MQ1.example.com, [::1]\n"));
    assertEquals(java.util.Set.of(), c.adminAccess().publicPaths());
    assertEquals(java.util.List.of("mq1.example.com", "::1"), c.adminAccess().hostnames());
    assertEquals(
        java.util.Set.of("health"),
        ConfigLoader.load(conf("admin_public = health\n")).adminAccess().publicPaths());
    String msg = error("server = a\nadmin_public = health,state\n");
    assertTrue(
        msg.contains("tandem.conf:2: admin_public lists 'state'; it takes 'none' or a list"), msg);
    msg = error("admin_hostnames = a b\n");
    assertTrue(msg.contains("tandem.conf:1: 'a b' is not a host name"), msg);
  }

  @Test
  void shouldReadFaultToleranceKeysWithEmsDefaults() throws Exception {
    BrokerConfig plain = ConfigLoader.load(conf("server = a\n"));
    assertEquals(null, plain.ft());
    FtConfig ft = ConfigLoader.load(conf("ft_active = amqp://peer:5672\n")).ft();
    assertEquals(new Endpoint("amqp", "peer", 5672), ft.peer());
    assertEquals(java.time.Duration.ofSeconds(3), ft.heartbeat());
    assertEquals(java.time.Duration.ofSeconds(10), ft.activation());
    assertEquals(java.time.Duration.ofSeconds(60), ft.reconnectTimeout());
    assertTrue(ft.fileLock());
    assertTrue(ft.follow(), "the backup follows the store unless told not to");
    assertFalse(
        ConfigLoader.load(conf("ft_active = amqp://peer:5672\nft_follow = disabled\n"))
            .ft()
            .follow());
    FtConfig zk =
        ConfigLoader.load(
                conf(
                    "ft_active = amqp://peer:5672\nft_heartbeat = 500msec\nft_activation = 2\n"
                        + "ft_lock = zookeeper://z1:2181,z2:2181/tandem/p1?session_timeout=6sec\n"))
            .ft();
    assertEquals("z1:2181,z2:2181", zk.zooKeeperLock().connectString());
    assertEquals("/tandem/p1", zk.zooKeeperLock().path());
    assertEquals(java.time.Duration.ofSeconds(6), zk.zooKeeperLock().sessionTimeout());
    assertEquals(java.time.Duration.ofMillis(500), zk.heartbeat());
  }

  @Test
  void shouldRefuseAnActivationShorterThanTwoHeartbeats() throws Exception {
    String msg = error("ft_active = amqp://peer:1\nft_heartbeat = 3\nft_activation = 5\n");
    assertTrue(msg.contains("tandem.conf:3: ft_activation (5000 ms) must be at least twice"), msg);
    assertTrue(
        error("ft_heartbeat = 3\n").contains(":1: ft_heartbeat is set but ft_active"), "orphan");
    assertTrue(
        error("ft_active = amqp://p:1\nft_follow = sometimes\n")
            .contains(":2: 'sometimes' is not a boolean"));
    assertTrue(
        error("ft_follow = enabled\n").contains(":1: ft_follow is set but ft_active"), "orphan");
    assertTrue(
        error("ft_active = amqp://p:1\nft_lock = nfs\n")
            .contains(":2: ft_lock must be 'file' or zookeeper://"));
    assertTrue(
        error("ft_active = amqp://p:1\nft_lock = zookeeper://z1:2181\n")
            .contains(":2: ft_lock 'zookeeper://z1:2181' must name servers and a path"));
  }

  @Test
  void shouldRefuseBadValues() throws Exception {
    assertTrue(
        error("listen = tcp://host:1\n").contains(":1: 'tcp://host:1' must look like amqp://"));
    assertTrue(error("\nmax_msg_memory = lots\n").contains(":2: 'lots' is not a size"));
    assertTrue(error("listen = amqp://h:99999\n").contains("out of range"));
    assertTrue(
        error("server = a\nserver = b\n")
            .contains(":2: key 'server' is set twice (first on line 1)"));
    assertTrue(error("just words\n").contains(":1: expected 'key = value'"));
    assertTrue(error("queues = missing.conf\n").contains("does not exist"));
    assertTrue(error("amqp_idle_timeout = 5 parsecs\n").contains("is not a time"));
  }

  @Test
  void shouldGiveClientLimitsFiniteDefaults() throws Exception {
    BrokerConfig c = ConfigLoader.load(conf("server = x\n"));
    assertEquals(64L << 20, c.maxMsgSize());
    assertEquals(ClientLimits.defaults(), c.limits());
    assertTrue(c.maxMsgSize() < io.tandem.broker.store.StoreOptions.MAX_RECORD_BYTES);
  }

  @Test
  void shouldRefuseAMessageOrTransactionSizeTheStoreCouldNotReadBack() throws Exception {
    String msg = error("server = x\nmax_msg_size = 2GB\n");
    assertTrue(msg.contains("tandem.conf:2: max_msg_size must be between 1 byte and"), msg);
    assertTrue(msg.contains("the largest record the store can read back"), msg);
    assertTrue(error("max_msg_size = 497MB\n").contains(":1: max_msg_size must be between"));
    assertTrue(error("max_msg_size = 0\n").contains(":1: max_msg_size must be between"));
    assertTrue(error("max_txn_size = 5GB\n").contains(":1: max_txn_size must be between"));
    assertEquals(496L << 20, ConfigLoader.load(conf("max_msg_size = 496MB\n")).maxMsgSize());
  }

  @Test
  void shouldRefuseClientLimitsOutOfRange() throws Exception {
    assertTrue(error("handshake_timeout = 10msec\n").contains(":1: must be between 100msec"));
    assertTrue(error("handshake_timeout = 1hour\n").contains(":1: must be between 100msec"));
    assertTrue(error("max_sessions_per_connection = 0\n").contains("out of range 1..65535"));
    assertTrue(error("max_links_per_connection = 0\n").contains("out of range"));
    assertTrue(error("max_txns_per_connection = many\n").contains("not a whole number"));
  }

  @Test
  void shouldNameDestinationFileLineAndReason() throws Exception {
    Files.writeString(dir.resolve("queues.conf"), ">\nfoo  failsafe,colour=blue\n");
    String msg = error("queues = queues.conf\n");
    assertTrue(msg.contains("queues.conf:2: unknown destination property 'colour'"), msg);
    Files.writeString(dir.resolve("queues.conf"), "a.>.b\n");
    assertTrue(error("queues = queues.conf\n").contains("'>' may only be the last element"));
    Files.writeString(dir.resolve("queues.conf"), "x  overflowPolicy=sometimes\n");
    assertTrue(
        error("queues = queues.conf\n").contains("queues.conf:1: overflowPolicy 'sometimes'"));
    Files.writeString(dir.resolve("queues.conf"), "x  maxbytes\n");
    assertTrue(error("queues = queues.conf\n").contains("needs a value"));
  }

  @Test
  void shouldMergePropertiesFromWildcardsToExactNames() throws Exception {
    Files.writeString(
        dir.resolve("queues.conf"),
        """
        >
        orders.>        failsafe,maxmsgs=100
        orders.*.eu     maxbytes=10MB,overflowPolicy=discardOld
        orders.new.eu   maxRedelivery=5,expiration=30min
        """);
    BrokerConfig c = ConfigLoader.load(conf("queues = queues.conf\n"));
    DestinationProperties p = c.queues().lookup("orders.new.eu").orElseThrow();
    assertTrue(p.failsafe());
    assertEquals(100, p.maxMsgs());
    assertEquals(10L << 20, p.maxBytes());
    assertEquals(OverflowPolicy.DISCARD_OLD, p.overflowPolicy());
    assertEquals(5, p.maxRedelivery());
    assertEquals(Duration.ofMinutes(30), p.expiration());
    assertFalse(c.queues().lookup("other").orElseThrow().failsafe());
    assertEquals(java.util.List.of("orders.new.eu"), c.queues().staticNames());
  }

  @Test
  void shouldOnlyAllowNamesAPatternCovers() throws Exception {
    Files.writeString(dir.resolve("topics.conf"), "prices.*\nnews\n");
    DestinationRules rules = ConfigLoader.load(conf("topics = topics.conf\n")).topics();
    assertTrue(rules.lookup("prices.eur").isPresent());
    assertTrue(rules.lookup("news").isPresent());
    assertTrue(rules.lookup("prices.*").isPresent());
    assertFalse(rules.lookup("prices.eur.spot").isPresent());
    assertFalse(rules.lookup("prices.>").isPresent());
    assertFalse(rules.lookup("other").isPresent());
  }

  @Test
  void shouldMatchEmsWildcards() {
    assertTrue(DestinationName.matches("a.*.c", "a.b.c"));
    assertFalse(DestinationName.matches("a.*", "a.b.c"));
    assertTrue(DestinationName.matches("a.>", "a.b.c"));
    assertFalse(DestinationName.matches("a.>", "a"));
    assertTrue(DestinationName.matches(">", "anything.at.all"));
  }

  @Test
  void shouldNameTheLineOfBytesThatAreNotUtf8() throws Exception {
    Path f = dir.resolve("tandem.conf");
    // "server = caf\u00e9" saved as Latin-1 on line 3, after a CRLF and an LF line
    byte[] text = "# a\r\nlisten = amqp://127.0.0.1:1\nserver = caf\u00e9\n".getBytes("ISO-8859-1");
    Files.write(f, text);
    BrokerException e = assertThrows(BrokerException.class, () -> ConfigLoader.load(f));
    assertEquals(BrokerException.Category.CONFIG, e.category());
    assertTrue(e.getMessage().contains("tandem.conf:3: not UTF-8 text"), e.getMessage());
    Files.write(dir.resolve("queues.conf"), "orders\n\u00e9\n".getBytes("ISO-8859-1"));
    String msg = error("queues = queues.conf\n");
    assertTrue(msg.contains("queues.conf:2: not UTF-8 text"), msg);
    Path users = dir.resolve("users");
    Files.write(users, "jos\u00e9:secret\n".getBytes("ISO-8859-1"));
    BrokerException u = assertThrows(BrokerException.class, () -> Users.load(users, false));
    assertTrue(u.getMessage().contains("users:1: not UTF-8 text"), u.getMessage());
  }

  @Test
  void shouldRefuseAPathWithANulCharacter() throws Exception {
    String msg = error("server = a\nstore = st\0re\n");
    assertTrue(msg.contains("tandem.conf:2: 'st\\0re' is not a valid path"), msg);
    msg = error("users = us\0ers\n");
    assertTrue(msg.contains("tandem.conf:1: 'us\\0ers' is not a valid path"), msg);
  }
}
