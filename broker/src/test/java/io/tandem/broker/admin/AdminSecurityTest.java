package io.tandem.broker.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.TestBroker;
import io.tandem.broker.security.StoredPassword;
import io.tandem.testing.Await;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin endpoint's authentication, permissions, Host check and /health through real HTTP. */
class AdminSecurityTest {
  private static final String PASSWORD = "s3cret pw";
  private static final List<String> USERS =
      List.of("viewer", "creator", "deleter", "purger", "stopper", "root", "nobody");

  @TempDir Path dir;
  private TestBroker broker;
  private final List<String> logged = new ArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          synchronized (logged) {
            logged.add(r.getMessage());
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @AfterEach
  void stop() {
    Logger.getLogger("io.tandem.broker.admin").removeHandler(capture);
    if (broker != null) {
      broker.close();
    }
  }

  /** A broker whose users all have {@link #PASSWORD}, each granted what its name says. */
  private int start(String... extra) throws IOException {
    StringBuilder users = new StringBuilder();
    for (String u : USERS) {
      String stored =
          StoredPassword.derive(PASSWORD.toCharArray(), 4096, new SecureRandom()).encode();
      users.append(u).append(':').append(stored).append('\n');
    }
    Files.writeString(dir.resolve("users.conf"), users);
    Files.writeString(dir.resolve("groups.conf"), "> $admin\nroot\n");
    Files.writeString(
        dir.resolve("acl.conf"),
        "USER=viewer ADMIN PERM=view\n"
            + "USER=creator ADMIN PERM=create\n"
            + "USER=deleter ADMIN PERM=delete\n"
            + "USER=purger ADMIN PERM=purge\n"
            + "USER=stopper ADMIN PERM=shutdown\n");
    List<String> conf =
        new ArrayList<>(
            List.of("users = users.conf", "groups = groups.conf", "acl_list = acl.conf"));
    conf.addAll(List.of(extra));
    broker = TestBroker.start(dir, conf.toArray(String[]::new));
    Logger.getLogger("io.tandem.broker.admin").addHandler(capture);
    return broker.broker().adminEndpoint().port();
  }

  private static Map<String, String> as(String user) {
    return Map.of("Authorization", RawHttp.basic(user, PASSWORD), AdminActions.HEADER, "test");
  }

  private List<String> logLines(String containing) {
    synchronized (logged) {
      return logged.stream().filter(l -> l.contains(containing)).toList();
    }
  }

  @Test
  void shouldChallengeACallWithoutCredentials() throws IOException {
    int port = start();
    for (String path : List.of("/state", "/admin/connections")) {
      RawHttp.Answer a = RawHttp.get(port, path, Map.of());
      assertEquals(401, a.status(), path);
      assertEquals(AdminSecurity.CHALLENGE, a.headers().get("www-authenticate"));
      assertTrue(a.error().contains("credentials required"), a.body());
    }
    assertEquals(401, RawHttp.call(port, "POST", "/admin/shutdown", Map.of()).status());
    assertTrue(broker.broker().roles().role() == io.tandem.broker.Role.ACTIVE);
  }

  @Test
  void shouldAnswerAWrongPasswordAndAnUnknownUserAlikeAndLogThemWithoutThePassword()
      throws IOException {
    int port = start();
    RawHttp.Answer wrong =
        RawHttp.get(port, "/state", Map.of("Authorization", RawHttp.basic("viewer", "guess-1")));
    RawHttp.Answer unknown =
        RawHttp.get(port, "/state", Map.of("Authorization", RawHttp.basic("mallory", "guess-2")));
    assertEquals(401, wrong.status());
    assertEquals(401, unknown.status());
    assertEquals(wrong.body(), unknown.body());
    assertEquals(
        wrong.headers().get("www-authenticate"), unknown.headers().get("www-authenticate"));
    List<String> failures = logLines("authentication failed");
    assertEquals(2, failures.size(), failures.toString());
    assertTrue(failures.get(0).contains("user 'viewer' from /127.0.0.1:"), failures.get(0));
    assertTrue(failures.get(1).contains("user 'mallory' from /127.0.0.1:"), failures.get(1));
    assertTrue(failures.stream().noneMatch(l -> l.contains("guess")), failures.toString());
    assertEquals(200, RawHttp.get(port, "/state", as("viewer")).status());
  }

  /** The calls of each permission; a user may make exactly those of the permission it holds. */
  @Test
  void shouldLetEachAdminPermissionMakeExactlyItsCalls() throws IOException {
    int port = start();
    for (String user : USERS) {
      assertAllowed(port, "root", "PUT", "/admin/queues/q.del." + user, true);
      assertAllowed(port, "root", "PUT", "/admin/topics/t.del." + user, true);
    }
    for (String user : USERS) {
      boolean all = user.equals("root");
      assertAllowed(port, user, "GET", "/state", all || user.equals("viewer"));
      assertAllowed(port, user, "GET", "/admin/connections", all || user.equals("viewer"));
      assertAllowed(port, user, "PUT", "/admin/queues/q." + user, all || user.equals("creator"));
      assertAllowed(port, user, "PUT", "/admin/topics/t." + user, all || user.equals("creator"));
      assertAllowed(
          port, user, "POST", "/admin/queues/q.del.root/purge", all || user.equals("purger"));
      assertAllowed(
          port, user, "DELETE", "/admin/topics/t.del." + user, all || user.equals("deleter"));
      assertAllowed(
          port, user, "DELETE", "/admin/queues/q.del." + user, all || user.equals("deleter"));
    }
    RawHttp.Answer refused = RawHttp.call(port, "POST", "/admin/shutdown", as("viewer"));
    assertEquals(403, refused.status());
    assertTrue(
        refused.error().contains("user 'viewer' lacks the admin permission 'shutdown'"),
        refused.body());
    assertFalse(logLines("lacks the admin permission 'shutdown'").isEmpty());
    assertEquals(202, RawHttp.call(port, "POST", "/admin/shutdown", as("stopper")).status());
    Await.until(
        "broker stopped by the shutdown call",
        Duration.ofSeconds(20),
        () -> broker.broker().roles().role() != io.tandem.broker.Role.ACTIVE);
  }

  private static void assertAllowed(
      int port, String user, String method, String path, boolean allowed) throws IOException {
    RawHttp.Answer a = RawHttp.call(port, method, path, as(user));
    String what = user + " " + method + " " + path + ": " + a.status() + " " + a.body();
    if (allowed) {
      assertTrue(a.status() / 100 == 2, what);
    } else {
      assertEquals(403, a.status(), what);
      assertTrue(a.error().contains("lacks the admin permission"), what);
    }
  }

  @Test
  void shouldRefuseCredentialsOverPlainHttpFromAnotherAddress() throws Exception {
    start();
    java.net.InetAddress outside =
        java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
            .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
            .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress())
            .findFirst()
            .orElse(null);
    org.junit.jupiter.api.Assumptions.assumeTrue(outside != null, "no non-loopback address");
    try (AdminServer wide =
        AdminServer.start(
            new io.tandem.broker.config.Endpoint("http", "0.0.0.0", 0), broker.broker(), null)) {
      int port = wide.endpoint().port();
      String address = outside.getHostAddress();
      RawHttp.Answer remote = RawHttp.call(address, port, "GET", "/state", as("viewer"));
      assertEquals(403, remote.status(), remote.body());
      assertTrue(remote.error().contains("over https:// or a loopback connection"), remote.body());
      assertEquals(200, RawHttp.call(address, port, "GET", "/health", Map.of()).status());
      assertEquals(200, RawHttp.get(port, "/state", as("viewer")).status(), "from loopback");
    }
  }

  @Test
  void shouldStillNeedTheAdminHeaderForAnAuthenticatedMutation() throws IOException {
    int port = start();
    RawHttp.Answer a =
        RawHttp.call(
            port,
            "PUT",
            "/admin/queues/no.header",
            Map.of("Authorization", RawHttp.basic("root", PASSWORD)));
    assertEquals(403, a.status());
    assertTrue(a.error().contains(AdminActions.HEADER), a.body());
  }

  @Test
  void shouldRefuseAForeignHostHeaderOnEveryPath() throws IOException {
    int port = start("admin_hostnames = mq1.example.com");
    for (String path : List.of("/health", "/metrics", "/state", "/admin/connections")) {
      RawHttp.Answer a = RawHttp.get(port, path, Map.of("Host", "rebind.attacker.example:" + port));
      assertEquals(421, a.status(), path);
      assertTrue(a.error().contains("not a name of this admin endpoint"), a.body());
    }
    assertFalse(logLines("with Host 'rebind.attacker.example:" + port + "'").isEmpty());
    for (String host :
        List.of("localhost:" + port, "127.0.0.1", "[::1]:" + port, "MQ1.example.com")) {
      assertEquals(200, RawHttp.get(port, "/health", Map.of("Host", host)).status(), host);
    }
    assertEquals(
        200,
        RawHttp.get(
                port,
                "/state",
                Map.of(
                    "Host", "mq1.example.com", "Authorization", RawHttp.basic("viewer", PASSWORD)))
            .status());
  }

  @Test
  void shouldOfferNoCorsAndRefusePreflights() throws IOException {
    int port = start();
    Map<String, String> preflight =
        Map.of(
            "Origin", "http://attacker.example",
            "Access-Control-Request-Method", "POST",
            "Access-Control-Request-Headers", AdminActions.HEADER);
    for (String path : List.of("/admin/shutdown", "/state", "/health")) {
      RawHttp.Answer a = RawHttp.call(port, "OPTIONS", path, preflight);
      assertEquals(405, a.status(), path);
      assertNoCors(a);
    }
    assertNoCors(RawHttp.get(port, "/health", Map.of("Origin", "http://attacker.example")));
    assertNoCors(RawHttp.get(port, "/state", Map.of("Origin", "http://attacker.example")));
    assertTrue(broker.broker().roles().role() == io.tandem.broker.Role.ACTIVE);
  }

  private static void assertNoCors(RawHttp.Answer a) {
    assertTrue(
        a.headers().keySet().stream().noneMatch(h -> h.startsWith("access-control-")),
        a.headers().toString());
  }

  @Test
  void shouldKeepHealthAndMetricsOpenByDefault() throws IOException {
    int port = start();
    assertEquals(200, RawHttp.get(port, "/health", Map.of()).status());
    assertEquals(200, RawHttp.get(port, "/metrics", Map.of()).status());
  }

  @Test
  void shouldCloseHealthAndMetricsWithAdminPublicNone() throws IOException {
    int port = start("admin_public = none");
    assertEquals(401, RawHttp.get(port, "/health", Map.of()).status());
    assertEquals(401, RawHttp.get(port, "/metrics", Map.of()).status());
    assertEquals(200, RawHttp.get(port, "/health", as("viewer")).status());
    assertEquals(200, RawHttp.get(port, "/metrics", as("viewer")).status());
    assertEquals(403, RawHttp.get(port, "/health", as("creator")).status());
  }

  @Test
  void shouldCloseOnlyMetricsWithAdminPublicHealth() throws IOException {
    int port = start("admin_public = health");
    assertEquals(200, RawHttp.get(port, "/health", Map.of()).status());
    assertEquals(401, RawHttp.get(port, "/metrics", Map.of()).status());
  }

  @Test
  void shouldAnswerHealthWhileClientsStallHalfWayThroughARequest() throws Exception {
    int port = start();
    List<Socket> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        OutputStream out = s.getOutputStream();
        out.write(
            "GET /state HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half".getBytes(StandardCharsets.UTF_8));
        out.flush();
        stalled.add(s);
      }
      assertHealthAnswersQuickly(port);
    } finally {
      for (Socket s : stalled) {
        s.close();
      }
    }
  }

  @Test
  void shouldAnswerHealthWhileAScrapeIsSlow() throws Exception {
    start();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    try (AdminServer slow =
        AdminServer.start(
            new io.tandem.broker.config.Endpoint("http", "127.0.0.1", 0),
            broker.broker(),
            () -> {
              entered.countDown();
              try {
                release.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return "slow 1\n";
            })) {
      int port = slow.endpoint().port();
      Thread scrape =
          new Thread(
              () -> {
                try {
                  RawHttp.get(port, "/metrics", Map.of());
                } catch (IOException e) {
                  // the server closed: nothing to check here
                }
              });
      scrape.start();
      assertTrue(entered.await(10, TimeUnit.SECONDS), "the scrape reached the metrics");
      assertHealthAnswersQuickly(port);
      release.countDown();
      scrape.join(10_000);
    } finally {
      release.countDown();
    }
  }

  private static void assertHealthAnswersQuickly(int port) throws IOException {
    long t0 = System.nanoTime();
    RawHttp.Answer a = RawHttp.get(port, "/health", Map.of());
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertEquals(200, a.status(), a.body());
    assertTrue(ms < 2000, "/health took " + ms + " ms");
  }
}
