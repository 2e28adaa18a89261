package io.tandem.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.Role;
import io.tandem.broker.RoleMachine;
import io.tandem.broker.TestBroker;
import io.tandem.broker.admin.AdminServer;
import io.tandem.broker.admin.BrokerView;
import io.tandem.broker.amqp.ConnectionRegistry;
import io.tandem.broker.config.BrokerConfig;
import io.tandem.broker.config.ConfigLoader;
import io.tandem.broker.config.DestinationRules;
import io.tandem.broker.config.Endpoint;
import io.tandem.broker.destination.Destinations;
import io.tandem.broker.destination.MemoryBudget;
import io.tandem.broker.store.MemoryStore;
import io.tandem.process.time.Clock;
import io.tandem.testing.Await;
import io.tandem.testing.JsonTree;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The admin subcommands against a broker's real admin endpoint over HTTP. */
class AdminCommandsTest {
  @TempDir Path dir;
  private TestBroker broker;
  private AdminServer fakeAdmin;

  @AfterEach
  void stop() {
    if (broker != null) {
      broker.close();
    }
    if (fakeAdmin != null) {
      fakeAdmin.close();
    }
  }

  /** Exit status and what the command printed. */
  record Run(int exit, String out, String err) {}

  private static Run tandem(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new TandemCommand());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int exit = cmd.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private String url() {
    Endpoint e = broker.broker().adminEndpoint();
    return "http://" + e.host() + ":" + e.port();
  }

  private Run admin(String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--url";
    all[args.length + 1] = url();
    return tandem(all);
  }

  private void send(String queue, int count) throws Exception {
    try (Connection c = broker.connect()) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer p = s.createProducer(s.createQueue(queue));
      for (int i = 0; i < count; i++) {
        p.send(s.createTextMessage("m" + i));
      }
    }
  }

  /** A broker with users viewer (view) and ops (create, purge), both with password "pw one". */
  private Path startWithUsers() throws Exception {
    StringBuilder users = new StringBuilder();
    for (String u : List.of("viewer", "ops")) {
      users
          .append(u)
          .append(':')
          .append(
              io.tandem.broker.security.StoredPassword.derive(
                      "pw one".toCharArray(), 4096, new java.security.SecureRandom())
                  .encode())
          .append('\n');
    }
    Files.writeString(dir.resolve("users.conf"), users);
    Files.writeString(
        dir.resolve("acl.conf"), "USER=viewer ADMIN PERM=view\nUSER=ops ADMIN PERM=create,purge\n");
    broker = TestBroker.start(dir, "users = users.conf", "acl_list = acl.conf");
    return Files.writeString(dir.resolve("admin.pw"), "pw one\n");
  }

  @Test
  void shouldSendTheUserAndPasswordFileOfEveryAdminCommand() throws Exception {
    Path pw = startWithUsers();
    Run anonymous = admin("status");
    assertEquals(ExitCodes.REFUSED, anonymous.exit(), anonymous.err());
    assertTrue(anonymous.err().contains("credentials required (give --user"), anonymous.err());
    Run viewer = admin("status", "--user", "viewer", "--password-file", pw.toString());
    assertEquals(ExitCodes.OK, viewer.exit(), viewer.err());
    assertTrue(viewer.out().contains("role: active"), viewer.out());
    assertEquals(
        ExitCodes.OK,
        admin("connections", "--user", "viewer", "--password-file", pw.toString()).exit());
    Run refused =
        admin("create", "queue", "q1", "--user", "viewer", "--password-file", pw.toString());
    assertEquals(ExitCodes.REFUSED, refused.exit());
    assertTrue(
        refused.err().contains("user 'viewer' lacks the admin permission 'create'"), refused.err());
    Run created = admin("create", "queue", "q1", "--user", "ops", "--password-file", pw.toString());
    assertEquals(ExitCodes.OK, created.exit(), created.err());
    assertEquals(
        ExitCodes.OK,
        admin("purge", "q1", "--user", "ops", "--password-file", pw.toString()).exit());
    Run delete = admin("delete", "queue", "q1", "--user", "ops", "--password-file", pw.toString());
    assertEquals(ExitCodes.REFUSED, delete.exit(), delete.err());
  }

  @Test
  void shouldRefuseAWrongPasswordFileAndAUserWithoutOne() throws Exception {
    startWithUsers();
    Path wrong = Files.writeString(dir.resolve("wrong.pw"), "pw two\n");
    Run bad = admin("queues", "--user", "viewer", "--password-file", wrong.toString());
    assertEquals(ExitCodes.REFUSED, bad.exit());
    assertTrue(bad.err().contains("authentication failed"), bad.err());
    Run missing = admin("queues", "--user", "viewer");
    assertEquals(ExitCodes.CONFIG, missing.exit());
    assertTrue(missing.err().contains("--user needs --password-file"), missing.err());
  }

  @Test
  void shouldShowTheRoleAndUptimeOfAServingBrokerAndExitZero() {
    broker = TestBroker.start(dir);
    Run r = admin("status");
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    assertTrue(r.out().startsWith("server: test\nrole: active\nreason: started in "), r.out());
    assertTrue(r.out().contains("\nuptime: 0d 00h 00m "), r.out());
  }

  @Test
  void shouldListQueuesWithTheirDepthAndPurgeThem() throws Exception {
    broker = TestBroker.start(dir);
    send("orders", 3);
    Run r = admin("queues");
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    assertTrue(
        r.out()
            .startsWith(
                "NAME              DEPTH  PENDING  UNACKED  CONSUMERS  ENQUEUED  DEQUEUED  BYTES\n"),
        r.out());
    assertTrue(
        r.out().contains("\norders            3      3        0        0          3 "), r.out());

    Run purge = admin("purge", "orders");
    assertEquals(ExitCodes.OK, purge.exit(), purge.err());
    assertEquals("purged 3 messages from queue orders\n", purge.out());
    assertEquals(0, broker.get("/state").json().find("queues", "name", "orders").number("depth"));
  }

  @Test
  void shouldPrintTheStateDocumentForStatusJson() {
    broker = TestBroker.start(dir);
    Run r = admin("status", "--json");
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    JsonTree printed = JsonTree.parse(r.out().strip());
    JsonTree state = broker.get("/state").json();
    assertEquals(
        ((java.util.Map<?, ?>) state.value()).keySet(),
        ((java.util.Map<?, ?>) printed.value()).keySet(),
        r.out());
    assertEquals("active", printed.string("role"));
    assertEquals(state.string("store"), printed.string("store"));
    assertEquals(state.number("epoch"), printed.number("epoch"));
    assertEquals(state.list("queues").size(), printed.list("queues").size());
  }

  @Test
  void shouldCreateAndDeleteQueuesAndTopicsWithProperties() {
    broker = TestBroker.start(dir);
    Run created = admin("create", "queue", "billing", "failsafe", "maxmsgs=2");
    assertEquals(ExitCodes.OK, created.exit(), created.err());
    assertEquals("created queue billing\n", created.out());
    assertEquals(ExitCodes.FAILURE, admin("create", "queue", "billing").exit());
    Run bad = admin("create", "queue", "other", "fast");
    assertEquals(ExitCodes.FAILURE, bad.exit());
    assertTrue(bad.err().contains("unknown destination property 'fast'"), bad.err());
    assertTrue(broker.broker().destinations().queue("billing").properties().failsafe());

    assertEquals(ExitCodes.OK, admin("create", "topic", "prices").exit());
    Run topics = admin("topics", "--json");
    assertEquals("[{\"name\":\"prices\",\"published\":0,\"subscriptions\":0}]\n", topics.out());

    assertEquals(ExitCodes.OK, admin("delete", "queue", "billing").exit());
    assertEquals(ExitCodes.OK, admin("delete", "topic", "prices").exit());
    Run gone = admin("delete", "topic", "prices");
    assertEquals(ExitCodes.FAILURE, gone.exit());
    assertTrue(gone.err().contains("topic 'prices' does not exist"), gone.err());
  }

  @Test
  void shouldListConnectionsAndDurableSubscriptions() throws Exception {
    broker = TestBroker.start(dir);
    try (Connection c = broker.factory("jms.clientID=billing-app").createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      s.createDurableSubscriber(s.createTopic("prices"), "audit").close();
      Run conns = admin("connections");
      assertEquals(ExitCodes.OK, conns.exit(), conns.err());
      assertTrue(conns.out().startsWith("REMOTE  "), conns.out());
      assertTrue(conns.out().contains("billing-app"), conns.out());
      Run durables = admin("durables");
      assertTrue(
          durables.out().contains("\naudit  billing-app  prices  false   0      0\n"),
          durables.out());
    }
  }

  @Test
  void shouldExitNotReachableWhenNothingListens() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Run r = tandem("status", "--url", "http://127.0.0.1:" + port);
    assertEquals(ExitCodes.NOT_REACHABLE, r.exit());
    assertTrue(r.err().contains("connection refused"), r.err());
  }

  @Test
  void shouldExitNotPrimaryWhenTheBrokerDoesNotServe() throws Exception {
    fakeAdmin = AdminServer.start(new Endpoint("http", "127.0.0.1", 0), backup());
    String url = "http://127.0.0.1:" + fakeAdmin.endpoint().port();
    Run status = tandem("status", "--url", url);
    assertEquals(ExitCodes.NOT_PRIMARY, status.exit());
    assertTrue(
        status.out().contains("role: backup\nreason: the peer holds the lock"), status.out());
    Run queues = tandem("queues", "--url", url);
    assertEquals(ExitCodes.NOT_PRIMARY, queues.exit());
    assertTrue(queues.err().contains("the broker is not primary (role backup"), queues.err());
    Run purge = tandem("purge", "orders", "--url", url);
    assertEquals(ExitCodes.NOT_PRIMARY, purge.exit());
    assertEquals(ExitCodes.NOT_PRIMARY, tandem("connections", "--url", url).exit());
  }

  @Test
  void shouldRefuseMutatingCallsUnlessTheEndpointListensOnLoopbackOnly() throws Exception {
    fakeAdmin = AdminServer.start(new Endpoint("http", "0.0.0.0", 0), backup());
    String url = "http://127.0.0.1:" + fakeAdmin.endpoint().port();
    Run r = tandem("shutdown", "--url", url);
    assertEquals(ExitCodes.REFUSED, r.exit());
    assertTrue(r.err().contains("admin_listen is 0.0.0.0, not a loopback address"), r.err());
    assertEquals(ExitCodes.NOT_PRIMARY, tandem("status", "--url", url).exit(), "reads still work");
  }

  @Test
  void shouldRefuseAMutatingCallWithoutTheAdminHeader() throws Exception {
    broker = TestBroker.start(dir);
    send("orders", 1);
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url() + "/admin/queues/orders/purge"))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(403, r.statusCode());
    assertTrue(
        JsonTree.parse(r.body()).string("error").contains("need the X-Tandem-Admin header"),
        r.body());
    assertEquals(1, broker.get("/state").json().find("queues", "name", "orders").number("depth"));
  }

  @Test
  void shouldStopAnEmbeddedBrokerOnShutdown() {
    broker = TestBroker.start(dir);
    Run r = admin("shutdown");
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    Await.until(
        "broker stopped",
        java.time.Duration.ofSeconds(10),
        () -> broker.broker().roles().role() == Role.STOPPED);
  }

  /** A broker that runs as an FT backup: it does not serve, and its destinations are empty. */
  private BrokerView backup() throws Exception {
    Files.writeString(dir.resolve("tandem.conf"), "server = b\nstore = store\n");
    BrokerConfig cfg = ConfigLoader.load(dir.resolve("tandem.conf"));
    RoleMachine roles = new RoleMachine();
    Destinations none =
        new Destinations(
            "b",
            DestinationRules.allowAll(),
            DestinationRules.allowAll(),
            new MemoryStore(),
            new MemoryBudget(0),
            Clock.system());
    roles.transition(Role.BACKUP, "the peer holds the lock");
    return new BrokerView() {
      @Override
      public BrokerConfig config() {
        return cfg;
      }

      @Override
      public RoleMachine roles() {
        return roles;
      }

      @Override
      public Destinations destinations() {
        return none;
      }

      @Override
      public ConnectionRegistry connections() {
        return new ConnectionRegistry();
      }

      @Override
      public MemoryBudget memory() {
        return new MemoryBudget(0);
      }

      @Override
      public Duration uptime() {
        return Duration.ZERO;
      }

      @Override
      public List<Endpoint> listeners() {
        return List.of();
      }
    };
  }
}
