package io.tandem.pacemaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The OCF agent run the way Pacemaker runs it (OCF environment, action argument), without a
 * cluster, against a real broker: ocf-tester, monitor depths and return codes, stop, fencing.
 */
class OcfAgentIT {
  static final Path AGENT = Commands.HOME.resolve("pacemaker-resource/ocf/tandem/broker");
  private static final int OCF_SUCCESS = 0;
  private static final int OCF_ERR_GENERIC = 1;
  private static final int OCF_ERR_INSTALLED = 5;
  private static final int OCF_ERR_CONFIGURED = 6;
  private static final int OCF_NOT_RUNNING = 7;

  private Path dir;
  private Path log;
  private BrokerFiles broker;
  private String instance;

  @BeforeAll
  static void tools() {
    Commands.requireTool("ocf-tester", "resource-agents");
    Commands.requireTool("xmllint", "libxml2-utils");
    Commands.requireTool("curl", "curl");
  }

  @org.junit.jupiter.api.BeforeEach
  void files(TestInfo test) throws Exception {
    instance = test.getTestMethod().orElseThrow().getName();
    dir = Commands.workDir("ocf-agent/" + instance);
    log = dir.resolve("test.log");
    broker = BrokerFiles.create(dir, dir.resolve("store"));
    assertEquals("1", tandem("store", "fence", broker.store().toString(), "--raise"));
  }

  /** Runs bin/tandem; its output, after checking it succeeded. */
  private String tandem(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Commands.HOME.resolve("bin/tandem").toString());
    command.addAll(List.of(args));
    Commands.Result r = Commands.run(command, Map.of(), Duration.ofSeconds(60), log);
    assertEquals(0, r.exit(), r.toString());
    return r.output().strip();
  }

  @AfterEach
  void stopEverything() throws Exception {
    Commands.killProcessesMentioning(broker.config().toString());
  }

  private Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("OCF_ROOT", "/usr/lib/ocf");
    env.put("OCF_RESOURCE_INSTANCE", instance);
    env.put("OCF_RESKEY_home", Commands.HOME.toString());
    env.put("OCF_RESKEY_config", broker.config().toString());
    env.put("OCF_RESKEY_pid_file", dir.resolve("broker.pid").toString());
    env.put("OCF_RESKEY_log_file", dir.resolve("broker.log").toString());
    env.put("OCF_RESKEY_CRM_meta_timeout", "60000");
    env.put("OCF_RESKEY_CRM_meta_interval", "10000");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  private Commands.Result agent(String action, String... env) throws Exception {
    return Commands.run(List.of(AGENT.toString(), action), env(env), Duration.ofSeconds(90), log);
  }

  private int agentExit(String action, String... env) throws Exception {
    return agent(action, env).exit();
  }

  private long pid() throws Exception {
    return Long.parseLong(Files.readString(dir.resolve("broker.pid")).strip());
  }

  private String fence() throws Exception {
    return tandem("store", "fence", broker.store().toString());
  }

  @Test
  void shouldPassOcfTesterWithOnlyConfigAndHome() throws Exception {
    // ocf-tester runs meta-data as the user nobody, which must reach the agent: test a copy in a
    // world-readable directory, as an installed agent is, wherever this checkout lives
    java.nio.file.attribute.FileAttribute<?> open =
        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Path installed = Files.createTempDirectory(Path.of("/tmp"), "tandem-ocf-", open);
    Path agent = installed.resolve("broker");
    Files.copy(AGENT, agent);
    Files.setPosixFilePermissions(
        agent, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Commands.Result r;
    try {
      r = ocfTester(agent);
    } finally {
      Files.deleteIfExists(agent);
      Files.deleteIfExists(installed);
    }
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.output().contains("passed all tests"), r.toString());
    assertEquals("3", fence(), "ocf-tester started the broker twice, each at a new epoch");
  }

  private Commands.Result ocfTester(Path agent) throws Exception {
    return Commands.run(
        List.of(
            "ocf-tester",
            "-n",
            "tandem-ocf-tester",
            "-o",
            "config=" + broker.config(),
            "-o",
            "home=" + Commands.HOME,
            agent.toString()),
        Map.of(),
        Duration.ofMinutes(3),
        log);
  }

  @Test
  void shouldTellRunningCleanlyStoppedAndFailedApartAtEveryDepth() throws Exception {
    assertEquals(OCF_NOT_RUNNING, agentExit("monitor", "OCF_RESKEY_CRM_meta_interval", "0"));
    assertEquals(OCF_SUCCESS, agentExit("start"), () -> log.toString());
    assertEquals(200, Commands.httpStatus(broker.healthUrl()));
    for (String depth : List.of("0", "10", "20")) {
      Commands.Result r = agent("monitor", "OCF_CHECK_LEVEL", depth);
      assertEquals(OCF_SUCCESS, r.exit(), "depth " + depth + ": " + r);
    }
    long first = pid();
    assertEquals(OCF_SUCCESS, agentExit("start"), "start of a running broker succeeds");
    assertEquals(first, pid(), "and leaves it running");
    assertEquals("2", fence(), "without raising the fence again");

    ProcessHandle.of(first).orElseThrow().destroyForcibly();
    Await.until(
        "broker " + first + " gone",
        Duration.ofSeconds(30),
        Commands.POLL,
        () -> agentQuietly("monitor") != 0);
    Commands.Result died = agent("monitor");
    assertEquals(OCF_ERR_GENERIC, died.exit(), died.toString());
    assertTrue(died.output().contains("is gone"), died.toString());
    assertEquals(
        OCF_ERR_GENERIC,
        agentExit("monitor", "OCF_RESKEY_CRM_meta_interval", "0"),
        "a probe reports a died broker as failed, not as stopped");

    assertEquals(OCF_SUCCESS, agentExit("stop"));
    assertEquals(OCF_SUCCESS, agentExit("stop"), "stop is safe to repeat");
    assertEquals(OCF_NOT_RUNNING, agentExit("monitor", "OCF_RESKEY_CRM_meta_interval", "0"));

    assertEquals(OCF_SUCCESS, agentExit("start"));
    assertEquals("3", fence());
    long second = pid();
    assertNotEquals(first, second);
    assertEquals(OCF_SUCCESS, agentExit("stop"));
    assertFalse(running(second), "stop waits until the broker is gone");
    assertTrue(
        Files.readString(dir.resolve("broker.log")).contains("BrokerCommand: broker stopped"),
        "SIGTERM stops the broker cleanly");
    assertEquals(OCF_NOT_RUNNING, agentExit("monitor"));
  }

  private int agentQuietly(String action) {
    try {
      return agentExit(action);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void shouldReportFailureOnceAnotherActivatorRaisedTheFence() throws Exception {
    assertEquals(OCF_SUCCESS, agentExit("start"));
    long pid = pid();
    assertEquals("2", fence());
    assertEquals("3", tandem("store", "fence", broker.store().toString(), "--raise"));
    Await.until(
        "fenced broker " + pid + " exits",
        Duration.ofSeconds(30),
        Commands.POLL,
        () -> !running(pid));
    Commands.Result r = agent("monitor");
    assertEquals(OCF_ERR_GENERIC, r.exit(), r.toString());
    assertTrue(r.output().contains("FENCED: store fence moved from 2 to 3"), r.toString());
    assertEquals(OCF_SUCCESS, agentExit("stop"));
    assertEquals(OCF_NOT_RUNNING, agentExit("monitor"));
  }

  @Test
  void shouldReportAStalledStoreAsFailedWhileTheBrokerRunsAndAfterItExited() throws Exception {
    Files.writeString(
        broker.config(),
        "store_io_timeout = 2\nstore_io_exit_grace = 60\n",
        java.nio.file.StandardOpenOption.APPEND);
    assertEquals(OCF_SUCCESS, agentExit("start"));
    long pid = pid();
    Path release = hangFenceReads(broker.store());
    try {
      Await.until(
          "the depth-10 monitor fails",
          Duration.ofSeconds(30),
          Commands.POLL,
          () -> monitorQuietly("10") == OCF_ERR_GENERIC);
      Commands.Result r = agent("monitor", "OCF_CHECK_LEVEL", "10");
      assertEquals(OCF_ERR_GENERIC, r.exit(), r.toString());
      assertTrue(r.output().contains("store stalled: fence check has not returned"), r.toString());
    } finally {
      releaseFence(broker.store(), release);
    }
    // the read returned late: the broker exits with status 9 rather than serve again
    Await.until(
        "stalled broker " + pid + " exits",
        Duration.ofSeconds(30),
        Commands.POLL,
        () -> !running(pid));
    Commands.Result gone = agent("monitor");
    assertEquals(OCF_ERR_GENERIC, gone.exit(), gone.toString());
    assertTrue(
        gone.output().contains("STORE STALLED: fence check returned after"), gone.toString());
    assertEquals(OCF_SUCCESS, agentExit("stop"));
    assertEquals(OCF_NOT_RUNNING, agentExit("monitor"));
  }

  private int monitorQuietly(String depth) {
    try {
      return agent("monitor", "OCF_CHECK_LEVEL", depth).exit();
    } catch (Exception e) {
      return -1;
    }
  }

  /**
   * Replaces the store's {@code fence} with a named pipe (by rename, as the broker replaces it):
   * the broker's next fence read blocks in open(2) as on a dead NFS mount. Returns a second name of
   * the pipe, for {@link #releaseFence}.
   */
  private Path hangFenceReads(Path store) throws Exception {
    Path pipe = store.resolve("fence.pipe");
    Commands.Result made =
        Commands.run(List.of("mkfifo", pipe.toString()), Map.of(), Duration.ofSeconds(10), log);
    assertEquals(0, made.exit(), made.toString());
    Path handle = store.resolve("fence.pipe-handle");
    Files.createLink(handle, pipe);
    Files.copy(store.resolve("fence"), store.resolve("fence.saved"));
    Files.move(pipe, store.resolve("fence"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return handle;
  }

  /** Puts the regular fence back, then lets the blocked read finish with the same epoch. */
  private static void releaseFence(Path store, Path handle) throws Exception {
    byte[] epoch = Files.readAllBytes(store.resolve("fence.saved"));
    Files.move(
        store.resolve("fence.saved"),
        store.resolve("fence"),
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    // opening a pipe read-write never blocks, with or without a reader waiting
    try (java.io.RandomAccessFile pipe = new java.io.RandomAccessFile(handle.toFile(), "rw")) {
      pipe.write(epoch);
    }
    Files.delete(handle);
  }

  /** Alive and not a zombie: init on a CI machine may never reap the detached broker. */
  static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Test
  void shouldReportAStartTheBrokerRefusedAsNotConfiguredFromItsRecordedExitStatus()
      throws Exception {
    // tandem config accepts a hot-warm pair's file; the ha-mode broker refuses it once started
    Files.writeString(
        broker.config(),
        "ft_active = amqp://127.0.0.1:" + Commands.freePort() + "\n",
        java.nio.file.StandardOpenOption.APPEND);
    assertEquals(OCF_SUCCESS, agentExit("validate-all"));
    Commands.Result r = agent("start");
    assertEquals(OCF_ERR_CONFIGURED, r.exit(), r.toString());
    assertTrue(
        r.output()
            .contains(
                "the broker exited while starting: exited with status 2 (CONFIG): configuration"
                    + " error: "
                    + broker.config()
                    + " sets ft_active"),
        r.toString());
    assertTrue(
        Files.readString(dir.resolve("broker.exit")).startsWith("2 CONFIG configuration error: "),
        "the broker recorded its status next to the pid file");
    assertFalse(Files.exists(dir.resolve("broker.pid")));
    assertEquals(OCF_NOT_RUNNING, agentExit("monitor"));
  }

  @Test
  void shouldReportAStartThatFailedAtRuntimeAsAGenericErrorWithTheBrokersReason() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(
            broker.amqpPort(), 50, java.net.InetAddress.getByName("127.0.0.1"))) {
      assertTrue(taken.isBound());
      Commands.Result r = agent("start");
      assertEquals(OCF_ERR_GENERIC, r.exit(), r.toString());
      assertTrue(
          r.output().contains("exited with status 1 (FAILURE): startup failed: "), r.toString());
    }
    assertEquals(OCF_NOT_RUNNING, agentExit("monitor"));
    assertEquals(OCF_SUCCESS, agentExit("start"), "the next start finds the port free");
    assertEquals(OCF_SUCCESS, agentExit("stop"));
    assertTrue(
        Files.readString(dir.resolve("broker.exit")).startsWith("0 OK broker stopped"),
        "a clean stop is recorded too");
  }

  @Test
  void shouldRefuseAnInvalidConfigurationAtValidationNamingFileAndLine() throws Exception {
    Files.writeString(
        broker.config(), "listen_typo = 1\n", java.nio.file.StandardOpenOption.APPEND);
    Commands.Result validate = agent("validate-all");
    assertEquals(OCF_ERR_CONFIGURED, validate.exit(), validate.toString());
    assertTrue(
        validate.output().contains(broker.config() + ":6: unknown key 'listen_typo'"),
        validate.toString());
    Commands.Result start = agent("start");
    assertEquals(OCF_ERR_CONFIGURED, start.exit(), start.toString());
    assertEquals("1", fence(), "start refused before it raised the fence");
    assertFalse(Files.exists(dir.resolve("broker.pid")));
  }

  @Test
  void shouldRefuseToStartWhereTheStoreIsMissing() throws Exception {
    Path unmounted = dir.resolve("unmounted");
    Files.createDirectories(unmounted);
    BrokerFiles elsewhere = BrokerFiles.create(unmounted, unmounted.resolve("store"));
    Commands.Result r = agent("start", "OCF_RESKEY_config", elsewhere.config().toString());
    assertEquals(OCF_ERR_GENERIC, r.exit(), r.toString());
    assertTrue(r.output().contains("is its file system mounted?"), r.toString());
    assertFalse(Files.exists(elsewhere.store()), "the agent never creates a store");
    assertEquals(OCF_NOT_RUNNING, agentExit("monitor"));
  }

  @Test
  void shouldFailTheHealthMonitorOfAHungBrokerAndStillStopIt() throws Exception {
    assertEquals(OCF_SUCCESS, agentExit("start"));
    long pid = pid();
    Commands.Result stopSignal =
        Commands.run(
            List.of("kill", "-STOP", Long.toString(pid)), Map.of(), Duration.ofSeconds(10), log);
    assertEquals(0, stopSignal.exit(), stopSignal.toString());
    assertEquals(OCF_SUCCESS, agentExit("monitor", "OCF_CHECK_LEVEL", "0"), "the process lives");
    Commands.Result r = agent("monitor", "OCF_CHECK_LEVEL", "10");
    assertEquals(OCF_ERR_GENERIC, r.exit(), r.toString());
    assertTrue(r.output().contains("does not answer 200"), r.toString());
    assertEquals(OCF_SUCCESS, agentExit("stop", "OCF_RESKEY_stop_timeout", "20"));
    assertTrue(
        Files.readString(dir.resolve("broker.log")).contains("BrokerCommand: broker stopped"),
        "SIGTERM and SIGCONT let a paused broker stop cleanly");
  }

  /**
   * A Tandem home whose bin/tandem runs the real one with SIGTERM ignored. A JVM leaves a
   * termination signal alone that is ignored when it starts (it installs no shutdown handler), so
   * the broker's own process, the one the agent signals, ignores SIGTERM for good.
   */
  private static Path homeWithBrokerIgnoringSigterm(Path dir) throws Exception {
    Path home = Files.createDirectories(dir.resolve("home-ignoring-sigterm"));
    Files.createSymbolicLink(home.resolve("libexec"), Commands.HOME.resolve("libexec"));
    Path bin = Files.createDirectories(home.resolve("bin"));
    Path tandem = bin.resolve("tandem");
    Files.writeString(
        tandem,
        "#!/bin/sh\n# Runs the real bin/tandem with SIGTERM ignored.\ntrap '' TERM\nexec '"
            + Commands.HOME.resolve("bin/tandem")
            + "' \"$@\"\n");
    Files.setPosixFilePermissions(
        tandem, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    return home;
  }

  /** The process ignores SIGTERM (bit 15 of SigIgn in /proc/PID/status). */
  private static boolean ignoresSigterm(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << (15 - 1))) != 0;
      }
    }
    throw new AssertionError("no SigIgn in /proc/" + pid + "/status");
  }

  @Test
  void shouldKillABrokerThatIgnoresSigtermAfterStopTimeout() throws Exception {
    String home = homeWithBrokerIgnoringSigterm(dir).toString();
    int stopTimeout = 3;
    assertEquals(OCF_SUCCESS, agentExit("start", "OCF_RESKEY_home", home), () -> log.toString());
    long pid = pid();
    assertTrue(ignoresSigterm(pid), "the broker the agent started ignores SIGTERM");
    assertEquals(200, Commands.httpStatus(broker.healthUrl()));

    long before = System.nanoTime();
    Commands.Result stop =
        agent(
            "stop",
            "OCF_RESKEY_home",
            home,
            "OCF_RESKEY_stop_timeout",
            Integer.toString(stopTimeout));
    Duration took = Duration.ofNanos(System.nanoTime() - before);
    assertEquals(OCF_SUCCESS, stop.exit(), stop.toString());
    assertTrue(
        stop.output()
            .contains("stopping broker " + pid + " (SIGTERM, SIGKILL after " + stopTimeout + "s)"),
        stop.toString());
    assertTrue(stop.output().contains("killing broker " + pid + " (SIGKILL)"), stop.toString());
    // The agent's clock counts whole seconds, so its wait may be up to one second short.
    assertTrue(
        took.compareTo(Duration.ofSeconds(stopTimeout - 1)) >= 0,
        "stop waited " + took + " for SIGTERM to work before SIGKILL");
    assertFalse(running(pid), "stop waits until the killed broker is gone");
    assertFalse(Files.exists(dir.resolve("broker.pid")));
    String brokerLog = Files.readString(dir.resolve("broker.log"));
    assertFalse(
        brokerLog.contains("BrokerCommand: broker stopped"),
        "the broker never shut down cleanly: SIGKILL ended it");

    Commands.Result again = agent("stop", "OCF_RESKEY_home", home);
    assertEquals(OCF_SUCCESS, again.exit(), "stop is safe to repeat: " + again);
    assertTrue(again.output().contains("broker is not running"), again.toString());
    assertEquals(OCF_NOT_RUNNING, agentExit("monitor", "OCF_RESKEY_home", home));
  }

  @Test
  void shouldRefuseWrongParametersWithTheRightCodes() throws Exception {
    assertEquals(OCF_SUCCESS, agentExit("validate-all"));
    Commands.Result store =
        agent("validate-all", "OCF_RESKEY_store", dir.resolve("other").toString());
    assertEquals(OCF_ERR_CONFIGURED, store.exit(), store.toString());
    assertTrue(store.output().contains("is not the store in"), store.toString());
    assertEquals(
        OCF_SUCCESS, agentExit("validate-all", "OCF_RESKEY_store", broker.store().toString()));
    assertEquals(
        OCF_ERR_CONFIGURED,
        agentExit("validate-all", "OCF_RESKEY_config", dir.resolve("missing.conf").toString()));
    assertEquals(OCF_ERR_CONFIGURED, agentExit("validate-all", "OCF_RESKEY_stop_timeout", "soon"));
    assertEquals(
        OCF_ERR_INSTALLED,
        agentExit("validate-all", "OCF_RESKEY_java_home", dir.resolve("no-jdk").toString()));
    String nowhere = dir.resolve("no-tandem").toString();
    assertEquals(OCF_ERR_INSTALLED, agentExit("start", "OCF_RESKEY_home", nowhere));
    assertEquals(OCF_SUCCESS, agentExit("stop", "OCF_RESKEY_home", nowhere));
    assertEquals(
        OCF_NOT_RUNNING,
        agentExit("monitor", "OCF_RESKEY_home", nowhere, "OCF_RESKEY_CRM_meta_interval", "0"),
        "a probe on a node without Tandem reports not running");
    Commands.Result meta =
        Commands.run(
            List.of(AGENT.toString(), "meta-data"),
            Map.of("OCF_ROOT", "/usr/lib/ocf"),
            Duration.ofSeconds(30),
            log);
    assertEquals(OCF_SUCCESS, meta.exit());
    for (String p :
        List.of("home", "java_home", "config", "store", "health_url", "user", "stop_timeout")) {
      assertTrue(meta.output().contains("<parameter name=\"" + p + "\""), p);
    }
    // Pacemaker refuses two recurring monitors of one resource with the same interval, so each
    // depth has its own, and docs/pacemaker.md configures the deeper ones with the same intervals
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "<action name=\"monitor\" depth=\"(\\d+)\" timeout=\"[^\"]+\" interval=\"(\\d+s)\"")
            .matcher(meta.output());
    Map<String, String> intervals = new java.util.TreeMap<>();
    while (m.find()) {
      intervals.put(m.group(1), m.group(2));
    }
    assertEquals(java.util.Set.of("0", "10", "20"), intervals.keySet(), meta.output());
    assertEquals(3, new java.util.HashSet<>(intervals.values()).size(), intervals.toString());
    String docs = java.nio.file.Files.readString(Path.of("../docs/pacemaker.md"));
    for (String depth : List.of("10", "20")) {
      assertTrue(
          docs.matches(
              "(?s).*op monitor interval="
                  + intervals.get(depth)
                  + " timeout=\\S+ OCF_CHECK_LEVEL="
                  + depth
                  + "\\b.*"),
          "docs/pacemaker.md monitors depth " + depth + " every " + intervals.get(depth));
    }
  }
}
