package io.tandem.broker.ft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.amqp.PeerService;
import io.tandem.broker.security.StoredPassword;
import io.tandem.testing.Await;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot-warm pairs with {@code authorization = enabled}, as separate processes: members that know the
 * pair's password pair and fail over; a raw-socket impostor with the right server name, a replay of
 * a captured exchange, a member with the wrong password and a fake primary at {@code ft_active} are
 * refused and change nothing. Member logs stay in the temporary directory on failure.
 */
class PeerAuthenticationIT {
  private static final Duration ACTIVATION = Duration.ofSeconds(1);
  private static final String PASSWORD = "pair-S3cret";
  private static final String AUTH =
      "authorization = enabled\nusers = users.conf\ngroups = groups.conf\npassword = "
          + PASSWORD
          + "\n";

  /** The operator the tests read /state as: a member of $admin in every users file. */
  private static final String OPS = "ops";

  private static final String OPS_PASSWORD = "ops-S3cret";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @AfterEach
  void stopEverything() throws Exception {
    Collections.reverse(cleanup);
    for (AutoCloseable c : cleanup) {
      c.close();
    }
  }

  private static String operator() {
    return OPS + ":" + stored(OPS_PASSWORD) + "\n";
  }

  private static String stored(String password) {
    return StoredPassword.derive(
            password.toCharArray(), StoredPassword.MIN_ITERATIONS, new SecureRandom())
        .encode();
  }

  private List<Member> pair(Path where, String server, String extra) throws Exception {
    Files.createDirectories(where);
    // each member's own users entry for the pair's user: another salt, the same password
    Files.writeString(
        where.resolve("users.conf"), server + ":" + stored(PASSWORD) + "\n" + operator());
    Files.writeString(where.resolve("groups.conf"), "> $admin\n" + OPS + "\n");
    List<Member> pair = Member.pair(where, server, Member.FAST + AUTH + extra);
    pair.forEach(m -> m.adminUser(OPS, OPS_PASSWORD));
    cleanup.addAll(pair);
    return pair;
  }

  private static boolean peerConnected(Member m) {
    return m.paired()
        || m.metrics()
            .lines()
            .anyMatch(l -> l.startsWith("tandem_ft_peer_connected ") && !l.matches(".* 0(\\.0)?"));
  }

  @Test
  void shouldPairAndFailOverWhenBothMembersKnowThePassword() throws Exception {
    List<Member> pair = pair(dir, "authpair", "");
    Member a = pair.get(0).start();
    a.awaitPrimary();
    Member b = pair.get(1).start();
    b.awaitBackup();
    assertTrue(a.logText().contains("(it proved the pair's password)"), a.logText());
    a.kill();
    b.awaitPrimary();
    a.start();
    a.awaitBackup();
    assertTrue(b.logText().contains("(it proved the pair's password)"), b.logText());
  }

  @Test
  void shouldRefuseAnImpostorWithTheServerNameButNotThePassword() throws Exception {
    List<Member> pair = pair(dir, "authpair", "");
    Member a = pair.get(0).start();
    a.awaitPrimary();
    String storeId = Files.readString(dir.resolve("store").resolve("store.id")).strip();
    try (RawPeer impostor = new RawPeer(a.amqpPort)) {
      PeerAuthentication.Backup guess =
          PeerAuthentication.backup(new PeerCredentials("authpair", "guess", entry()));
      impostor.send(guess.start());
      impostor.send(guess.answer(impostor.line()));
      assertEquals("REFUSED authentication failed", impostor.raw());
      assertEquals(null, impostor.raw(), "closed after the refusal");
    }
    try (RawPeer old = new RawPeer(a.amqpPort)) {
      old.send(PeerLine.hello("authpair", storeId));
      String refusal = old.raw();
      assertTrue(refusal.startsWith("REFUSED the backup does not authenticate"), refusal);
      assertFalse(refusal.contains(storeId), refusal);
    }
    Await.until(
        "the primary logs both refusals; log " + a.log,
        Member.START,
        () ->
            a.logText().contains("authentication failed: the backup's proof of the password failed")
                && a.logText().contains("the backup does not authenticate"));
    assertFalse(peerConnected(a), a.state());
    assertFalse(a.logText().contains("backup paired"), a.logText());
  }

  @Test
  void shouldRefuseAReplayOfACapturedExchange() throws Exception {
    List<Member> pair = pair(dir, "authpair", "");
    Member a = pair.get(0).start();
    a.awaitPrimary();
    // a genuine exchange, captured line by line (the test knows the password)
    List<String> captured = new ArrayList<>();
    try (RawPeer genuine = new RawPeer(a.amqpPort)) {
      PeerAuthentication.Backup backup =
          PeerAuthentication.backup(new PeerCredentials("authpair", PASSWORD, entry()));
      captured.add(backup.start());
      genuine.send(captured.get(0));
      captured.add(backup.answer(genuine.line()));
      genuine.send(captured.get(1));
      assertTrue(backup.check(genuine.line()), "the primary proves itself: " + backup.failure());
    }
    try (RawPeer replay = new RawPeer(a.amqpPort)) {
      replay.send(captured.get(0));
      assertTrue(replay.raw().startsWith("CHALLENGE "), "a fresh challenge");
      replay.send(captured.get(1));
      assertEquals("REFUSED authentication failed", replay.raw());
    }
    Await.until(
        "the primary logs the replay's refusal; log " + a.log,
        Member.START,
        () -> a.logText().contains("nonce mismatch"));
    assertFalse(peerConnected(a), a.state());
  }

  @Test
  void shouldRefuseAMemberWithTheWrongPassword() throws Exception {
    List<Member> pair = pair(dir, "authpair", "");
    Member a = pair.get(0).start();
    a.awaitPrimary();
    Member b = pair.get(1);
    // consistent with itself (so it starts), but not the pair's password
    Files.writeString(
        dir.resolve("users-b.conf"), "authpair:" + stored("wrong") + "\n" + operator());
    b.editConfig("users = users.conf", "users = users-b.conf");
    b.editConfig("password = " + PASSWORD, "password = wrong");
    b.start();
    Await.until(
        "both members log the refusal; logs " + a.log + ", " + b.log,
        Member.START,
        () ->
            b.logText().contains("refused to pair: authentication failed")
                && a.logText().contains("refusing to pair with")
                && a.logText().contains("authentication failed"));
    assertEquals("backup", b.role());
    assertFalse(peerConnected(a), a.state());
    assertFalse(peerConnected(b), b.state());
    String storeId = Files.readString(dir.resolve("store").resolve("store.id")).strip();
    assertFalse(b.logText().contains(storeId), "no refusal tells the store id");
  }

  @Test
  void shouldTakeOverInTheUsualTimeWhileAFakePrimaryAnswersAtFtActive() throws Exception {
    // with a ZooKeeper lock the dead primary's lock outlives it by the session timeout, so the
    // backup dials ft_active again meanwhile, and meets the fake
    TestingServer zk = new TestingServer(true);
    cleanup.add(zk);
    Duration session = Duration.ofSeconds(3);
    String lock =
        "ft_lock = zookeeper://" + zk.getConnectString() + "/tandem/fake?session_timeout=3sec\n";
    List<Member> pair = pair(dir, "authpair", lock);
    Member a = pair.get(0).start();
    a.awaitPrimary();
    Member b = pair.get(1).start();
    b.awaitBackup();

    a.kill();
    long t0 = System.nanoTime();
    FakePrimary fake = new FakePrimary(a.amqpPort);
    cleanup.add(fake);
    Duration bound = session.plus(ACTIVATION.multipliedBy(2)).plus(Duration.ofSeconds(15));
    Await.until("the backup takes over; log " + b.log, bound, () -> b.health() == 200);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(fake.connections.get() > 0, "the backup met the fake primary: " + b.logText());
    assertTrue(
        b.logText().contains("refusing to pair with the broker at"), "refused it: " + b.logText());
    System.out.println(
        "takeover with a fake primary at ft_active: "
            + ms
            + " ms (ZooKeeper session timeout 3 s, ft_activation 1 s), fake dialled "
            + fake.connections.get()
            + " times");
  }

  private static StoredPassword entry() {
    return StoredPassword.parse(stored(PASSWORD));
  }

  /** A peer-protocol client on a raw socket. */
  private static final class RawPeer implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final BufferedReader in;

    RawPeer(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(20_000);
      out = socket.getOutputStream();
      in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      out.write(PeerService.HEADER);
    }

    void send(String line) throws IOException {
      assertNotNull(line);
      out.write(line.getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    String raw() throws IOException {
      try {
        return in.readLine();
      } catch (java.net.SocketException e) {
        return null;
      }
    }

    PeerLine line() throws IOException {
      String l = raw();
      assertNotNull(l, "an answer");
      return PeerLine.parse(l).orElseThrow(() -> new AssertionError("not a peer line: " + l));
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /**
   * Listens on the dead primary's address and speaks the old protocol to whoever dials it: WELCOME
   * to any first line, then heartbeats every 100 ms, without knowing the password.
   */
  private static final class FakePrimary implements AutoCloseable {
    final AtomicInteger connections = new AtomicInteger();
    private final ServerSocket server;
    private final Thread thread;
    private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());

    FakePrimary(int port) throws IOException {
      server = new ServerSocket();
      server.setReuseAddress(true);
      long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (true) {
        try {
          server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
          break;
        } catch (IOException e) {
          if (System.nanoTime() > until) {
            throw e;
          }
          Thread.onSpinWait();
        }
      }
      thread = new Thread(this::serve, "fake-primary");
      thread.setDaemon(true);
      thread.start();
    }

    private void serve() {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          connections.incrementAndGet();
          sockets.add(s);
          Thread t = new Thread(() -> talk(s), "fake-primary-conn");
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    }

    private void talk(Socket s) {
      try (s) {
        s.getInputStream().readNBytes(PeerService.HEADER.length);
        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
            .readLine();
        OutputStream out = s.getOutputStream();
        out.write(PeerLine.welcome("authpair", 99).getBytes(StandardCharsets.US_ASCII));
        while (!s.isClosed()) {
          out.write(PeerLine.heartbeat().getBytes(StandardCharsets.US_ASCII));
          out.flush();
          Thread.sleep(100); // the fake's own heartbeat interval, not a wait in the test
        }
      } catch (IOException | InterruptedException e) {
        // the backup hung up
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      synchronized (sockets) {
        for (Socket s : sockets) {
          s.close();
        }
      }
    }
  }
}
