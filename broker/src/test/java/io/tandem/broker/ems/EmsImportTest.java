package io.tandem.broker.ems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.BrokerException;
import io.tandem.broker.config.ConfigLoader;
import io.tandem.broker.security.AccessControl;
import io.tandem.broker.security.Permission;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EMS-syntax files written for the test, converted, and the output loaded with the broker's own
 * readers: each mapping of docs/migrating-from-ems.md and each case it reports.
 */
class EmsImportTest {
  @TempDir Path dir;

  private Path ems() throws Exception {
    return Files.createDirectories(dir.resolve("ems"));
  }

  private void file(String name, String text) throws Exception {
    Files.writeString(ems().resolve(name), text);
  }

  /** Converts {@code dir/ems}, writes it to {@code dir/out}, and returns the report. */
  private List<String> convert() throws Exception {
    EmsImport.Result r = EmsImport.convert(ems());
    r.write(dir.resolve("out"));
    return r.unmapped().stream()
        .map(u -> u.file().getFileName() + ":" + u.line() + ": " + u.reason())
        .toList();
  }

  private Map<String, String> values() {
    return ConfigLoader.loadWithValues(dir.resolve("out/tandem.conf")).values();
  }

  private String out(String name) throws Exception {
    return Files.readString(dir.resolve("out").resolve(name));
  }

  private static void assertReported(List<String> report, String start, String contains) {
    assertTrue(
        report.stream().anyMatch(l -> l.startsWith(start) && l.contains(contains)),
        "no '" + start + "..." + contains + "' in " + report);
  }

  @Test
  void shouldCopyTheKeysThatMeanTheSameAndReportNothing() throws Exception {
    file(
        "tibemsd.conf",
        "# a comment\n\nserver = ORDERS\nmax_msg_memory = 1GB\nmax_connections = 2000\n"
            + "handshake_timeout = 5\nstore_minimum = 128MB\nmax_msg_size = 10MB\n"
            + "ft_active = tcp://mq2.example.com:7222\nft_heartbeat = 2\nft_activation = 8\n"
            + "ft_reconnect_timeout = 90\nSTORE_CRC = enabled\nalways_exit_on_disk_error = yes\n"
            + "user_auth = local\nstore = datastore   # relative to the EMS directory\n");
    assertEquals(List.of(), convert());
    Map<String, String> v = values();
    assertEquals("ORDERS", v.get("server"));
    assertEquals("1GB", v.get("max_msg_memory"));
    assertEquals("2000", v.get("max_connections"));
    assertEquals("5", v.get("handshake_timeout"));
    assertEquals("128MB", v.get("store_minimum"));
    assertEquals("10MB", v.get("max_msg_size"));
    assertEquals("amqp://mq2.example.com:7222", v.get("ft_active"));
    assertEquals("2", v.get("ft_heartbeat"));
    assertEquals("8", v.get("ft_activation"));
    assertEquals("90", v.get("ft_reconnect_timeout"));
    assertEquals(ems().resolve("datastore/tandem").toAbsolutePath().toString(), v.get("store"));
    assertEquals("amqp://0.0.0.0:7222", v.get("listen"), "EMS's default listener");
  }

  @Test
  void shouldRewriteListenersKeepingTheirPortsAndReportOtherSchemes() throws Exception {
    file(
        "tibemsd.conf",
        "listen = tcp://7222, tcp://127.0.0.1:7300\nlisten = http://7080\nlisten = ssl://7243\n"
            + "server_timeout_client_connection = 30\n");
    List<String> report = convert();
    assertEquals("amqp://0.0.0.0:7222, amqp://127.0.0.1:7300", values().get("listen"));
    assertEquals("30", values().get("amqp_idle_timeout"));
    assertReported(report, "tibemsd.conf:2: ", "'http://7080' not mapped");
    assertReported(report, "tibemsd.conf:1: ", "ssl:// listeners not mapped");
    assertEquals(2, report.size(), report.toString());
  }

  @Test
  void shouldKeepAnSslListenerWhenTheIdentityIsAPemFile() throws Exception {
    file("broker.pem", "not really a certificate\n");
    file(
        "tibemsd.conf",
        "listen = ssl://7243\nssl_server_identity = broker.pem\nssl_password = key-secret\n");
    List<String> report = convert();
    // the file is no certificate: the load check refuses it, and says so at the EMS line
    assertReported(report, "tibemsd.conf:2: ", "Tandem refuses what it became");
    assertTrue(
        out("tandem.conf").contains(ems().resolve("broker.pem").toAbsolutePath().toString()));
    assertReported(report, "tibemsd.conf:1: ", "Tandem refuses what it became");
    assertReported(report, "tibemsd.conf:3: ", "Tandem refuses what it became");
    assertFalse(out("tandem.conf").contains("key-secret"), "a refused password is not shown");
  }

  @Test
  void shouldReportTlsFilesThatAreNotPem() throws Exception {
    file("tibemsd.conf", "ssl_server_identity = server.p12\nft_ssl_trusted = ca.jks\n");
    List<String> report = convert();
    assertReported(report, "tibemsd.conf:1: ", "Tandem reads PEM files only");
    assertReported(report, "tibemsd.conf:2: ", "Tandem reads PEM files only");
  }

  @Test
  void shouldMoveAClearPasswordIntoAFileAndReportAMangledOne() throws Exception {
    file("tibemsd.conf", "password = pair-secret\nssl_password = $man$abc\n");
    List<String> report = convert();
    assertEquals("pair-secret\n", out("server.password"));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(dir.resolve("out/server.password"))));
    assertTrue(out("tandem.conf").contains("password_file = server.password"));
    assertFalse(out("tandem.conf").contains("pair-secret"));
    assertReported(report, "tibemsd.conf:2: ", "mangled");
    file("tibemsd.conf", "password = $man$WjZ3\n");
    Files.delete(dir.resolve("out/tandem.conf"));
    Files.delete(dir.resolve("out/server.password"));
    assertReported(convert(), "tibemsd.conf:1: ", "EMS keeps it mangled");
  }

  @Test
  void shouldReportEveryParameterWithoutEquivalent() throws Exception {
    file(
        "tibemsd.conf",
        "logfile = /var/log/ems.log\nstatistics = enabled\nrouting = enabled\n"
            + "factories = factories.conf\nmsg_swapping = enabled\nldap_url = ldap://x\n"
            + "user_auth = local,ldap\nstore_crc = disabled\nno_such_parameter = 1\n"
            + "server_timeout_client_connection = 0\nmax_msg_size = 0\n"
            + "store_minimum_sync = 1GB\n");
    List<String> report = convert();
    assertReported(report, "tibemsd.conf:1: ", "logfile has no equivalent: Tandem logs");
    assertReported(report, "tibemsd.conf:2: ", "/metrics");
    assertReported(report, "tibemsd.conf:3: ", "no routes");
    assertReported(report, "tibemsd.conf:4: ", "JNDI");
    assertReported(report, "tibemsd.conf:5: ", "neither swaps messages");
    assertReported(report, "tibemsd.conf:6: ", "no LDAP");
    assertReported(report, "tibemsd.conf:7: ", "no LDAP");
    assertReported(report, "tibemsd.conf:8: ", "always checks each record's CRC");
    assertReported(report, "tibemsd.conf:9: ", "not a parameter this import maps");
    assertReported(report, "tibemsd.conf:10: ", "closes a connection silent");
    assertReported(report, "tibemsd.conf:11: ", "always limits a message's size");
    assertReported(report, "tibemsd.conf:12: ", "the one store_minimum");
    assertEquals(12, report.size(), report.toString());
    assertTrue(out("tandem.conf").contains("# tibemsd.conf:1: not mapped: logfile"));
  }

  @Test
  void shouldReportValuesTandemRefusesAndLinesSetTwice() throws Exception {
    file(
        "tibemsd.conf",
        "server = EMS SERVER\nmax_msg_memory = lots\nmax_connections = 10\n"
            + "max_connections = 20\nnot a parameter line\nauthorization = maybe\n");
    List<String> report = convert();
    assertReported(report, "tibemsd.conf:1: ", "must be 1-64 letters");
    assertReported(report, "tibemsd.conf:2: ", "is not a size");
    assertReported(report, "tibemsd.conf:4: ", "set again (first on line 3)");
    assertReported(report, "tibemsd.conf:5: ", "expected 'parameter = value'");
    assertReported(report, "tibemsd.conf:6: ", "not a boolean");
    assertEquals("10", values().get("max_connections"));
  }

  @Test
  void shouldCommentOutWhatTheBrokerRefusesAndStillLoad() throws Exception {
    file("tibemsd.conf", "ft_heartbeat = 3\nft_activation = 4\nmax_connections = 5\n");
    List<String> report = convert();
    assertReported(report, "tibemsd.conf:1: ", "ft_active (the peer's URL) is not");
    assertReported(report, "tibemsd.conf:2: ", "ft_active (the peer's URL) is not");
    assertTrue(out("tandem.conf").contains("# not in effect (Tandem refuses it: "));
    assertEquals("5", values().get("max_connections"));
    file("tibemsd.conf", "ft_active = tcp://mq2:7222\nft_heartbeat = 3\nft_activation = 4\n");
    Files.writeString(dir.resolve("out/tandem.conf"), "");
    Files.delete(dir.resolve("out/tandem.conf"));
    assertReported(convert(), "tibemsd.conf:3: ", "must be at least twice ft_heartbeat");
  }

  @Test
  void shouldMapDestinationPropertiesAndReportTheOthers() throws Exception {
    file("tibemsd.conf", "queues = queues.conf\ntopics = /opt/tibco/ems/cfg/topics.conf\n");
    file(
        "queues.conf",
        ">\norders.>  secure, failsafe, maxbytes=512MB, maxmsgs=1000\n"
            + "orders.eu  store=$sys.failsafe,MAXREDELIVERY=5,expiration=30min,exclusive\n"
            + "orders.us  store=$sys.nonfailsafe,overflowPolicy=discardOld,sender_name_enforced\n"
            + "orders.ap  store=mystore,prefetch=5,global,trace,flowControl=1MB,wild\n"
            + "orders.eu  failsafe\n$sys.undelivered\nbad..name\norders.xx  maxbytes=much\n");
    file("topics.conf", "prices.>  secure,maxmsgs=10,overflowPolicy=rejectIncoming\n");
    List<String> report = convert();
    assertEquals(
        List.of(
            ">",
            "orders.>  secure,failsafe,maxbytes=512MB,maxmsgs=1000",
            "orders.eu  failsafe,maxRedelivery=5,expiration=30min",
            "orders.us  overflowPolicy=discardOld",
            "orders.ap",
            "orders.xx"),
        out("queues.conf").lines().filter(l -> !l.startsWith("#")).toList());
    assertEquals(
        "prices.>  secure,maxmsgs=10,overflowPolicy=rejectIncoming",
        out("topics.conf").lines().skip(1).findFirst().orElseThrow());
    assertReported(report, "queues.conf:3: ", "'exclusive' not mapped");
    assertReported(report, "queues.conf:5: ", "the store 'mystore' has no equivalent");
    assertReported(report, "queues.conf:5: ", "'prefetch' not mapped");
    assertReported(report, "queues.conf:5: ", "'global' not mapped");
    assertReported(report, "queues.conf:5: ", "'trace' not mapped");
    assertReported(report, "queues.conf:5: ", "'flowControl' not mapped");
    assertReported(
        report,
        "queues.conf:5: ",
        "'wild' not mapped: has no equivalent: not a destination property");
    assertReported(report, "queues.conf:6: ", "defined again (first on line 3)");
    assertReported(report, "queues.conf:7: ", "system destination");
    assertReported(report, "queues.conf:8: ", "empty element");
    assertReported(report, "queues.conf:9: ", "is not a size");
    assertEquals(11, report.size(), report.toString());
  }

  @Test
  void shouldConvertClearPasswordsAndListUsersWithoutOne() throws Exception {
    file("tibemsd.conf", "users = users.conf\nauthorization = enabled\n");
    file(
        "users.conf",
        "admin::\"Administrator\"\nalice:$2$YWxpY2U=:\"Order entry\"\nbob:s3cret\n"
            + "bob:again\ncarol:x:no quotes\nEMS-SERVER\n");
    List<String> report = convert();
    assertReported(report, "users.conf:1: ", "user 'admin' has no password in EMS");
    assertReported(report, "users.conf:2: ", "bin/tandem passwd --user alice >> users.conf");
    assertReported(report, "users.conf:4: ", "listed again (first on line 3)");
    assertReported(report, "users.conf:5: ", "double quotes");
    assertReported(report, "users.conf:6: ", "user 'EMS-SERVER' has no password");
    assertEquals(5, report.size(), report.toString());
    assertTrue(out("users.conf").contains("# user without a password yet: alice:\"Order entry\""));
    AccessControl ac =
        AccessControl.load(ConfigLoader.load(dir.resolve("out/tandem.conf")).security());
    assertTrue(ac.users().verify("bob", "s3cret".toCharArray()));
    assertFalse(ac.users().contains("alice"));
  }

  @Test
  void shouldConvertGroupsAndTheAclPermissionByPermission() throws Exception {
    file(
        "tibemsd.conf",
        "users = users.conf\ngroups = groups.conf\nacl_list = acl.conf\nauthorization = enabled\n");
    file("users.conf", "bob:s3cret\nops:s3cret\n");
    file("groups.conf", "stray\n> desk:\"Desk\"\nbob\nbob\n> desk\nlost\n> $admin\nops\n");
    file(
        "acl.conf",
        "USER=bob QUEUE=orders.> PERM=send,receive,browse\n"
            + "GROUP=desk TOPIC=prices.> PERM=publish,subscribe,durable,use_durable\n"
            + "USER=ops ADMIN PERM=view-all,view-destination,create-destination,"
            + "delete-durable,purge-queue,shutdown,change-acl,modify-destination\n"
            + "USER=bob QUEUE=orders.eu PERM=purge\nGROUP=nobody QUEUE=x PERM=send\n"
            + "USER=bob QUEUE=x PERM=send TEMP\nUSER=bob PERM=send\n");
    List<String> report = convert();
    assertReported(report, "groups.conf:1: ", "comes before any '> group' line");
    assertReported(report, "groups.conf:4: ", "listed again in group 'desk'");
    assertReported(report, "groups.conf:5: ", "defined again (first on line 2)");
    assertReported(report, "groups.conf:6: ", "of a group that is left out");
    assertReported(
        report,
        "acl.conf:3: ",
        "'change-acl' not mapped: Tandem's users, groups and acl are files");
    assertReported(report, "acl.conf:3: ", "'modify-destination' not mapped");
    assertReported(report, "acl.conf:4: ", "broker-wide on ADMIN lines");
    assertReported(report, "acl.conf:4: ", "the line is left out");
    assertReported(report, "acl.conf:5: ", "group 'nobody' is not in the converted groups file");
    assertReported(report, "acl.conf:6: ", "'TEMP' has no equivalent");
    assertReported(report, "acl.conf:7: ", "names one QUEUE=, TOPIC= or ADMIN");
    assertEquals(11, report.size(), report.toString());
    assertTrue(out("acl.conf").contains("USER=ops  ADMIN  PERM=view,create,delete,purge,shutdown"));
    AccessControl ac =
        AccessControl.load(ConfigLoader.load(dir.resolve("out/tandem.conf")).security());
    assertTrue(ac.permits("bob", Permission.RECEIVE, "orders.eu", true));
    assertTrue(ac.permits("bob", Permission.USE_DURABLE, "prices.eu", true));
    assertTrue(ac.permitsAdmin("ops", Permission.PURGE));
    assertFalse(ac.permitsAdmin("bob", Permission.PURGE));
  }

  @Test
  void shouldFindAFileByItsNameInTheEmsDirectoryAndReportAMissingOne() throws Exception {
    file(
        "tibemsd.conf", "queues = /opt/tibco/ems/cfg/queues.conf\ntopics = /nowhere/topics.conf\n");
    file("queues.conf", "orders\n");
    List<String> report = convert();
    assertEquals("orders", out("queues.conf").lines().skip(1).findFirst().orElseThrow());
    assertReported(report, "tibemsd.conf:2: ", "which is not readable");
    assertEquals(1, report.size(), report.toString());
    assertFalse(Files.exists(dir.resolve("out/topics.conf")));
  }

  @Test
  void shouldRefuseAnUnreadableDirectoryAndAnOutputThatExists() throws Exception {
    BrokerException noDir =
        assertThrows(BrokerException.class, () -> EmsImport.convert(dir.resolve("none")));
    assertTrue(noDir.getMessage().endsWith("none: not a directory"), noDir.getMessage());
    BrokerException noConf = assertThrows(BrokerException.class, () -> EmsImport.convert(ems()));
    assertTrue(noConf.getMessage().contains("no readable tibemsd.conf"), noConf.getMessage());
    file("tibemsd.conf", "server = a\n");
    Files.createDirectories(dir.resolve("out"));
    Files.writeString(dir.resolve("out/tandem.conf"), "server = mine\n");
    EmsImport.Result r = EmsImport.convert(ems());
    BrokerException exists = assertThrows(BrokerException.class, () -> r.write(dir.resolve("out")));
    assertTrue(exists.getMessage().contains("exists already"), exists.getMessage());
    assertEquals("server = mine\n", out("tandem.conf"));
  }
}
