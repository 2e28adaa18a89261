package io.tandem.broker.ft;

import io.tandem.broker.BrokerJvm;
import io.tandem.testing.AdminHttp;
import io.tandem.testing.Await;
import io.tandem.testing.ChildProcess;
import io.tandem.testing.ClientLoad;
import io.tandem.testing.JsonTree;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One member of a hot-warm pair under test: its config file, ports and (while running) its own JVM
 * started as {@code bin/tandem broker} starts it. Logs are appended to one file per member and kept
 * for failures.
 */
final class Member implements AutoCloseable {

  /** Heartbeats every 200 ms and activation after 1 s of silence: pairs that fail over fast. */
  static final String FAST = "ft_heartbeat = 200msec\nft_activation = 1sec\n";

  /** How long a member may take to start, pair or take over on a loaded machine. */
  static final Duration START = Duration.ofSeconds(60);

  final String name;
  final int amqpPort;
  final int adminPort;
  final Path config;
  final Path log;
  private ChildProcess process;

  private volatile AdminHttp admin;

  private Member(String name, int amqpPort, int adminPort, Path config, Path log) {
    this.name = name;
    this.amqpPort = amqpPort;
    this.adminPort = adminPort;
    this.config = config;
    this.log = log;
    this.admin = AdminHttp.local(adminPort);
  }

  /**
   * Two members named {@code a} and {@code b} on one store under {@code dir}, each naming the other
   * in {@code ft_active}; {@code extra} lines go into both configs.
   */
  static List<Member> pair(Path dir, String server, String extra) throws IOException {
    Path store = dir.resolve("store");
    Files.createDirectories(store);
    Files.writeString(dir.resolve("queues.conf"), "ft.> failsafe\n>\n");
    int[] amqp = {freePort(), freePort()};
    List<Member> members = new ArrayList<>();
    String[] names = {"a", "b"};
    for (int i = 0; i < 2; i++) {
      int admin = freePort();
      Path conf = dir.resolve(names[i] + ".conf");
      Files.writeString(
          conf,
          "server = "
              + server
              + "\nlisten = amqp://127.0.0.1:"
              + amqp[i]
              + "\nadmin_listen = http://127.0.0.1:"
              + admin
              + "\nstore = store\nqueues = queues.conf\nstore_minimum = 1MB\n"
              + "ft_active = amqp://127.0.0.1:"
              + amqp[1 - i]
              + "\n"
              + extra);
      members.add(new Member(names[i], amqp[i], admin, conf, dir.resolve(names[i] + ".log")));
    }
    return members;
  }

  static int freePort() throws IOException {
    return AdminHttp.freePort();
  }

  /** Replaces {@code text} in the member's config, e.g. to give it another store or name. */
  void editConfig(String text, String replacement) throws IOException {
    Files.writeString(config, Files.readString(config).replace(text, replacement));
  }

  /** Starts the member's JVM (it becomes primary or backup by itself). */
  Member start() throws IOException {
    process =
        ChildProcess.start(
            BrokerJvm.command(config, System.getProperty("tandem.member.heap", "256m")), log);
    return this;
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** Waits until this member serves clients ({@code /health} 200). */
  void awaitPrimary() {
    Await.until(name + " serves (/health 200); log " + log, START, () -> health() == 200);
  }

  /** Waits until this member is a backup connected to its primary. */
  void awaitBackup() {
    Await.until(
        name + " is a paired backup; log " + log, START, () -> role().equals("backup") && paired());
  }

  /** The {@code /health} status, or -1 if the admin endpoint does not answer. */
  int health() {
    return AdminHttp.status(adminPort, "/health");
  }

  /** The {@code /state} document, or empty if it does not answer. */
  String state() {
    return admin.poll("/state").map(AdminHttp.Reply::body).orElse("");
  }

  /** The {@code /state} document parsed, or empty if it does not answer with JSON. */
  Optional<JsonTree> stateTree() {
    try {
      return admin.poll("/state").map(AdminHttp.Reply::json);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code /state} says the peer link is up. */
  boolean paired() {
    return stateTree().map(s -> Boolean.TRUE.equals(s.get("peer_connected"))).orElse(false);
  }

  /** Reads {@code /state} as {@code user}, for members whose admin endpoint authenticates. */
  Member adminUser(String user, String password) {
    admin = AdminHttp.local(adminPort).withBasicAuth(user, password);
    return this;
  }

  /** The {@code /metrics} exposition, or empty if it does not answer. */
  String metrics() {
    return AdminHttp.local(adminPort).poll("/metrics").map(AdminHttp.Reply::body).orElse("");
  }

  /** The role from {@code /state}, or "down". */
  String role() {
    return stateTree()
        .map(s -> s.get("role"))
        .filter(String.class::isInstance)
        .map(String.class::cast)
        .orElse("down");
  }

  /** Whether the AMQP port accepts a TCP connection. */
  boolean amqpOpen() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", amqpPort), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  String url() {
    return "amqp://127.0.0.1:" + amqpPort;
  }

  /** A Qpid JMS failover URI over both members, reconnecting every 25 ms. */
  static String failoverUri(Member a, Member b) {
    return ClientLoad.failoverUri(
        List.of(a.url(), b.url()),
        "failover.reconnectDelay=25",
        "failover.startupMaxReconnectAttempts=200");
  }

  String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  void kill() throws InterruptedException {
    process.kill();
  }

  int stop() throws InterruptedException {
    return process.stop(Duration.ofSeconds(60));
  }

  int awaitExit(Duration timeout) throws InterruptedException {
    return process.awaitExit(timeout);
  }

  void signal(String sig) throws IOException, InterruptedException {
    process.signal(sig);
  }

  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
  }
}
