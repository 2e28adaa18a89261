package io.tandem.campaign;

import io.tandem.testing.AdminHttp;
import io.tandem.testing.ChildProcess;
import io.tandem.testing.JsonTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One pair member: a {@code bin/tandem broker} started inside its host's namespace with {@code ip
 * netns exec}, listening on the host's address only. {@code ip netns exec} and {@code bin/tandem}
 * both exec, so the process started is the broker's JVM and its pid is the one signalled.
 */
final class Member implements AutoCloseable {
  static final int AMQP_PORT = 5672;
  static final int ADMIN_PORT = 9672;

  /** The brokers' JVM: small and quick to start, as on a loaded test machine. */
  private static final String JAVA_OPTS =
      "-Xms64m -Xmx256m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -XX:TieredStopAtLevel=1"
          + " -Djava.util.logging.manager=io.tandem.process.log.ShutdownSafeLogManager";

  final Hosts.Host host;
  final Path config;
  final Path log;
  private final Path home;
  private final AdminHttp admin;
  private volatile ChildProcess process;
  private volatile boolean paused;

  private Member(Hosts.Host host, Path home, Path config, Path log) {
    this.host = host;
    this.home = home;
    this.config = config;
    this.log = log;
    this.admin =
        AdminHttp.at(URI.create("http://" + host.address() + ":" + ADMIN_PORT))
            .withTimeout(Duration.ofMillis(800));
  }

  /**
   * The two members of a pair on {@code hosts}, one store under {@code dir}, each naming the other
   * in {@code ft_active}; heartbeats every 200 ms, activation after 1 s of silence; {@code ftLock}
   * is the {@code ft_lock} value, or null for the store's file lock.
   */
  static List<Member> pair(Path home, Path dir, Hosts.Host a, Hosts.Host b, String ftLock) {
    try {
      Files.createDirectories(dir.resolve("store"));
      Files.writeString(dir.resolve("queues.conf"), "ft.> failsafe\n>\n");
      return List.of(member(home, dir, a, b, ftLock), member(home, dir, b, a, ftLock));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Member member(Path home, Path dir, Hosts.Host self, Hosts.Host peer, String ftLock)
      throws IOException {
    Path conf = dir.resolve(self.name() + ".conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            ftLock == null ? "" : "ft_lock = " + ftLock,
            "server = campaign",
            "listen = amqp://" + self.address() + ":" + AMQP_PORT,
            "admin_listen = http://" + self.address() + ":" + ADMIN_PORT,
            "store = " + dir.resolve("store"),
            "queues = " + dir.resolve("queues.conf"),
            "store_minimum = 1MB",
            "ft_active = amqp://" + peer.address() + ":" + AMQP_PORT,
            "ft_heartbeat = 200msec",
            "ft_activation = 1sec",
            ""));
    return new Member(self, home, conf, dir.resolve(self.name() + ".log"));
  }

  String url() {
    return "amqp://" + host.address() + ":" + AMQP_PORT;
  }

  /** Starts the broker on its host; it becomes primary or backup by itself. */
  void start() {
    List<String> command =
        Hosts.onHost(
            host,
            List.of(
                "env",
                "TANDEM_JAVA_OPTS=" + JAVA_OPTS,
                home.resolve("bin/tandem").toString(),
                "broker",
                "--config",
                config.toString()));
    try {
      process = ChildProcess.start(command, log);
    } catch (IOException e) {
      throw new CampaignException("cannot start the broker on " + host + ": " + e, e);
    }
    paused = false;
  }

  boolean alive() {
    ChildProcess p = process;
    return p != null && p.isAlive();
  }

  boolean paused() {
    return paused;
  }

  /** SIGKILL, and waits until it is reaped. */
  void kill() {
    ChildProcess p = process;
    if (p == null) {
      return;
    }
    try {
      p.kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    paused = false;
  }

  /** Reaps it after a host crash killed it from outside. */
  void awaitGone(Duration timeout) {
    ChildProcess p = process;
    if (p != null) {
      try {
        p.awaitExit(timeout);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    paused = false;
  }

  /** SIGSTOP or SIGCONT, by the pid it was started with. */
  void signal(String sig) {
    ChildProcess p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    try {
      p.signal(sig);
      paused = sig.equals("STOP");
    } catch (IOException | AssertionError e) {
      // it died meanwhile; the recovery restarts it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  long pid() {
    ChildProcess p = process;
    return p == null ? -1 : p.pid();
  }

  /** The exit status once it ended, -1 while it runs or never ran. */
  int exitValue() {
    ChildProcess p = process;
    return p == null ? -1 : p.exitValue();
  }

  /** {@code /state} parsed, or empty when it does not answer in time. */
  Optional<JsonTree> state() {
    try {
      return admin.poll("/state").filter(r -> r.status() == 200).map(AdminHttp.Reply::json);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The {@code /health} status, -1 when nothing answers. */
  int health() {
    return admin.status("/health");
  }

  @Override
  public void close() {
    ChildProcess p = process;
    if (p != null) {
      p.close();
    }
  }

  @Override
  public String toString() {
    return "broker on " + host.name();
  }
}
