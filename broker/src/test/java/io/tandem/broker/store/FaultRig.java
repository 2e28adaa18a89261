package io.tandem.broker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tandem.testing.ClientHistory;
import io.tandem.testing.ClientLoad;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One fault test's broker: a {@code tandem broker} process whose store is on a {@link FaultFs}
 * mount, and the same broker restarted on the backing directory itself (the healthy disk). Broker
 * and file-system logs, the configuration and the store stay in {@code
 * target/store-fault-tests/NAME-TIME} unless {@link #passed} removes them. {@link #close} stops the
 * broker and unmounts whatever happened.
 */
final class FaultRig implements AutoCloseable {
  static final String FAILSAFE = "faults.failsafe";
  static final String ASYNC = "faults.async";

  final Path dir;
  final Path log;
  final int port;
  final int adminPort;
  final ClientHistory history = new ClientHistory();
  private final String extraConfig;
  FaultFs fs;
  BrokerProcess broker;

  private FaultRig(Path dir, String extraConfig) throws IOException {
    this.dir = dir;
    this.log = dir.resolve("broker.log");
    this.port = BrokerProcess.freePort();
    this.adminPort = BrokerProcess.freePort();
    this.extraConfig = extraConfig;
  }

  /** A rig for test {@code name}; {@code extraConfig} is appended to tandem.conf. */
  static FaultRig create(String name, String extraConfig) throws IOException {
    FaultFs.assumeFuse();
    Path dir =
        Path.of("target", "store-fault-tests", name + "-" + System.currentTimeMillis())
            .toAbsolutePath();
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("queues.conf"), FAILSAFE + "  failsafe\n>\n");
    Files.writeString(dir.resolve("topics.conf"), ">\n");
    return new FaultRig(dir, extraConfig);
  }

  Path backing() {
    return dir.resolve("backing");
  }

  /** Mounts the fault file system over the backing directory and starts the broker on it. */
  BrokerProcess startOnFaultFs() throws IOException {
    fs = FaultFs.mount(backing(), dir.resolve("mnt"), dir.resolve("faultfs.log"));
    broker = BrokerProcess.start(config(fs.mountpoint.resolve("store")), log, port);
    return broker;
  }

  /**
   * Stops whatever still runs (the broker with SIGKILL), unmounts the fault file system and starts
   * the broker on the backing directory: the store as the disk kept it.
   */
  BrokerProcess restartOnBacking() throws IOException, InterruptedException {
    stopAll();
    Files.writeString(log, "---- restarted on the backing directory ----\n", appendOption());
    broker = BrokerProcess.start(config(backing().resolve("store")), log, port);
    return broker;
  }

  /** Kills the broker if it still runs and unmounts the fault file system. */
  void stop() throws InterruptedException {
    stopAll();
  }

  /** Drains both queues on the restarted broker, stops it cleanly and returns the history. */
  ClientHistory drainAndStop() throws Exception {
    ClientLoad.drain(ClientLoad.localUri(port), FAILSAFE, history);
    ClientLoad.drain(ClientLoad.localUri(port), ASYNC, history);
    assertEquals(0, broker.stop(), "clean stop after the drain; " + where());
    return history;
  }

  String where() {
    return "logs in " + dir;
  }

  String brokerLog() throws IOException {
    return Files.readString(log);
  }

  private Path config(Path store) throws IOException {
    Path config = dir.resolve("tandem.conf");
    Files.writeString(
        config,
        "server = faults\n"
            + "listen = amqp://127.0.0.1:"
            + port
            + "\n"
            + "admin_listen = http://127.0.0.1:"
            + adminPort
            + "\n"
            + "store = "
            + store
            + "\n"
            + "queues = queues.conf\n"
            + "topics = topics.conf\n"
            + extraConfig);
    return config;
  }

  private static java.nio.file.OpenOption[] appendOption() {
    return new java.nio.file.OpenOption[] {
      java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND
    };
  }

  private void stopAll() throws InterruptedException {
    if (fs != null) {
      // a broker blocked on a hung mount can only die once its operations return
      try {
        fs.release();
      } catch (RuntimeException e) {
        // the file system's process is gone: nothing hangs any more
      }
    }
    if (broker != null && broker.isAlive()) {
      broker.kill();
    }
    if (fs != null) {
      fs.close();
      fs = null;
    }
  }

  /** The test passed: its files go. */
  void passed() throws IOException {
    close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Override
  public void close() {
    try {
      stopAll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (broker != null) {
        broker.close();
      }
      if (fs != null) {
        fs.close();
      }
    }
  }

  static List<String> lines(String text, String containing) {
    return text.lines().filter(l -> l.contains(containing)).toList();
  }
}
