package io.tandem.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/*
 * The lock over TLS to a real ZooKeeper that has only a secure client port and requires client
 * certificates. The server runs in a JVM of its own, because ZooKeeper's server reads its TLS
 * settings from system properties that the client in this JVM would otherwise pick up too: here the
 * client's TLS settings come from its own ZKClientConfig alone. Certificates are made by keytool in
 * the test's directory; none is committed.
 */
class ZooKeeperTlsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String STORE_PASSWORD = "test-only-password";

  @TempDir static Path dir;

  private static Process server;
  private static Path serverLog;
  private static int port;

  @BeforeAll
  static void startSecureServer() throws Exception {
    keyPair("server");
    keyPair("client");
    Files.writeString(dir.resolve("store.password"), STORE_PASSWORD);
    port = freePort();
    Path data = Files.createDirectories(dir.resolve("data"));
    Path cfg = dir.resolve("zoo.cfg");
    Files.writeString(
        cfg,
        String.join(
            "\n",
            "tickTime=200",
            "dataDir=" + data,
            "secureClientPort=" + port,
            "secureClientPortAddress=127.0.0.1",
            "admin.enableServer=false",
            "maxSessionTimeout=20000",
            ""));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx128m",
            "-XX:TieredStopAtLevel=1",
            "-Dzookeeper.serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory",
            "-Dzookeeper.ssl.keyStore.location=" + dir.resolve("server.p12"),
            "-Dzookeeper.ssl.keyStore.password=" + STORE_PASSWORD,
            "-Dzookeeper.ssl.trustStore.location=" + dir.resolve("client.pem"),
            "-Dzookeeper.ssl.clientAuth=need",
            "-cp",
            System.getProperty("java.class.path"),
            "org.apache.zookeeper.server.ZooKeeperServerMain",
            cfg.toString()));
    serverLog = dir.resolve("zookeeper.log");
    server =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(serverLog.toFile())
            .start();
    Await.until(() -> "ZooKeeper's secure port; " + log(), WAIT, ZooKeeperTlsTest::listening);
  }

  @AfterAll
  static void stopServer() throws InterruptedException {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(20, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor();
      }
    }
  }

  @Test
  void shouldTakeTheLockOverTlsWithDigestAuthentication() throws Exception {
    Path secret = dir.resolve("zk.secret");
    Files.writeString(secret, "tandem:over-tls\n");
    ZooKeeperSecurity security =
        new ZooKeeperSecurity(
            ZooKeeperSecurity.Auth.DIGEST,
            secret,
            ZooKeeperSecurity.Acl.CREATOR,
            true,
            dir.resolve("server.pem"),
            null,
            dir.resolve("client.p12"),
            dir.resolve("store.password"),
            null);
    ZooKeeperLockConfig config = config("/tandem/tls").withSecurity(security);

    try (FencedLock lock = FencedLocks.zooKeeper(config)) {
      Lease lease = lock.acquire(WAIT);
      assertEquals(1, lease.epoch(), log());
      assertTrue(FencedLocks.inspectZooKeeper(config).held());
    }
  }

  @Test
  void shouldNotConnectWithoutTrustingTheServersCertificate() {
    ZooKeeperSecurity untrusting =
        new ZooKeeperSecurity(
            ZooKeeperSecurity.Auth.NONE,
            null,
            ZooKeeperSecurity.Acl.OPEN,
            true,
            null,
            null,
            dir.resolve("client.p12"),
            dir.resolve("store.password"),
            null);

    LockException e =
        assertThrows(
            LockException.class,
            () -> FencedLocks.inspectZooKeeper(config("/tandem/tls").withSecurity(untrusting)));
    assertEquals(LockException.Category.ZOOKEEPER, e.category(), e.getMessage());
  }

  @Test
  void shouldNotConnectInPlainTextToTheSecurePort() {
    LockException e =
        assertThrows(
            LockException.class, () -> FencedLocks.inspectZooKeeper(config("/tandem/tls")));
    assertEquals(LockException.Category.ZOOKEEPER, e.category(), e.getMessage());
  }

  private static ZooKeeperLockConfig config(String path) {
    return ZooKeeperTesting.config("127.0.0.1:" + port, path, Duration.ofSeconds(4));
  }

  // A key pair in <name>.p12 and its self-signed certificate in <name>.pem, valid for 127.0.0.1.
  private static void keyPair(String name) throws Exception {
    keytool(
        "-genkeypair",
        "-alias",
        name,
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=" + name,
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        dir.resolve(name + ".p12").toString(),
        "-storepass",
        STORE_PASSWORD,
        "-keypass",
        STORE_PASSWORD);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        name,
        "-keystore",
        dir.resolve(name + ".p12").toString(),
        "-storepass",
        STORE_PASSWORD,
        "-file",
        dir.resolve(name + ".pem").toString());
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool finished");
    assertEquals(0, p.exitValue(), "keytool " + String.join(" ", args) + ": " + out);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static boolean listening() {
    if (!server.isAlive()) {
      throw new AssertionError("ZooKeeper exited with " + server.exitValue() + ": " + log());
    }
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String log() {
    try {
      return "server log " + serverLog + ":\n" + Files.readString(serverLog);
    } catch (IOException e) {
      return "server log " + serverLog + " unreadable: " + e;
    }
  }
}
