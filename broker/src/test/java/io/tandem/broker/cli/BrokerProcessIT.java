package io.tandem.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.AdminHttp;
import io.tandem.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code bin/tandem broker} as operators do: a separate process, signals, exit codes. */
class BrokerProcessIT {
  private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
  @TempDir Path dir;
  private Process process;

  @AfterEach
  void kill() throws Exception {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private Process start(Path log, String... args) throws IOException {
    String[] cmd = new String[args.length + 1];
    cmd[0] = HOME.resolve("bin/tandem").toString();
    System.arraycopy(args, 0, cmd, 1, args.length);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    process = pb.start();
    return process;
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  @Test
  void shouldServeOnTheDefaultConfigAndStopCleanlyOnSigterm() throws Exception {
    Path log = dir.resolve("broker.log");
    long t0 = System.nanoTime();
    Process p = start(log, "broker");
    Await.until(
        "broker on the default config to answer /health with 200 (log: " + log + ")",
        Duration.ofSeconds(30),
        () -> AdminHttp.status(9672, "/health") == 200);
    long startupMs = (System.nanoTime() - t0) / 1_000_000;
    System.out.println("bin/tandem broker answered /health after " + startupMs + " ms");
    p.toHandle().destroy();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "broker exits after SIGTERM");
    String out = read(log);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("role starting -> active"), out);
    assertTrue(out.contains("role stopping -> stopped: shutdown complete"), out);
    assertTrue(out.contains("listening for AMQP on amqp://127.0.0.1:5672"), out);
  }

  @Test
  void shouldLogTheLockManagersLinesThroughTheBrokersOwnLog() throws Exception {
    try (TestingServer zk = new TestingServer(true)) {
      String out = runWithZooKeeperLock(zk, "logs", "");
      assertFalse(out.contains("SLF4J"), "no SLF4J provider warning: " + out);
      assertTrue(
          out.contains("INFO    ZooKeeperFencedLock: ") && out.contains(": acquired with epoch 1 "),
          "the lock manager's SLF4J line, in the broker's format: " + out);
      assertTrue(
          out.contains("INFO    TrackedLease: ") && out.contains("lease epoch 1 VALID -> SUSPECT"),
          "the lease's transitions: " + out);
      assertFalse(out.contains("INFO    ClientCnxn"), "ZooKeeper's INFO noise is quiet: " + out);
    }
  }

  @Test
  void shouldApplyTheLogLevelsOfTheConfiguration() throws Exception {
    try (TestingServer zk = new TestingServer(true)) {
      String out =
          runWithZooKeeperLock(
              zk,
              "levels",
              "log_levels = org.apache.zookeeper=INFO, io.tandem.broker.amqp=WARNING\n");
      assertTrue(out.contains("INFO    ClientCnxn: "), "ZooKeeper's INFO lines, let in: " + out);
      assertFalse(out.contains("listening for AMQP"), "the AMQP package's INFO, kept out: " + out);
      assertTrue(out.contains("INFO    ZooKeeperFencedLock: "), "other packages keep INFO: " + out);
    }
  }

  /**
   * Runs {@code bin/tandem broker} as a pair member holding a ZooKeeper lock until it serves, stops
   * it with SIGTERM and returns its log once it exited with status 0.
   */
  private String runWithZooKeeperLock(TestingServer zk, String name, String extra)
      throws Exception {
    int admin = AdminHttp.freePort();
    Path conf = dir.resolve(name + ".conf");
    Files.writeString(
        conf,
        "server = "
            + name
            + "\nstore = store-"
            + name
            + "\nlisten = amqp://127.0.0.1:0\nadmin_listen = http://127.0.0.1:"
            + admin
            + "\nft_active = amqp://127.0.0.1:"
            + AdminHttp.freePort()
            + "\nft_lock = zookeeper://"
            + zk.getConnectString()
            + "/tandem/"
            + name
            + "\n"
            + extra);
    Path log = dir.resolve(name + ".log");
    Process p = start(log, "broker", "--config", conf.toString());
    Await.until(
        "the broker with a ZooKeeper lock serves (log: " + log + ")",
        Duration.ofSeconds(60),
        () -> AdminHttp.status(admin, "/health") == 200);
    p.toHandle().destroy();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "broker exits after SIGTERM");
    String out = read(log);
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void shouldExitWithCode2AndNameFileAndLineForABadConfig() throws Exception {
    Path conf = dir.resolve("bad.conf");
    Files.writeString(conf, "server = x\nlisten = amqp://127.0.0.1:0\nlisten_typo = 1\n");
    Path log = dir.resolve("bad.log");
    Process p = start(log, "broker", "--config", conf.toString());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    String out = read(log);
    assertEquals(2, p.exitValue(), out);
    assertTrue(out.contains(conf + ":3: unknown key 'listen_typo'"), out);
  }
}
