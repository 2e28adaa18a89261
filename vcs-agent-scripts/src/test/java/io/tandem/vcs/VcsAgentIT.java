package io.tandem.vcs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.DocBlocks;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The VCS entry points invoked as VCS's script agent invokes them (entry point, resource name, for
 * clean the clean reason, then the ArgList values of TandemTypes.cf) against a real broker, with
 * the attributes of the example main.cf. Files and logs stay in target/it/vcs.
 */
class VcsAgentIT {
  private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
  private static final Path AGENT_DIR = HOME.resolve("vcs-agent-scripts/Tandem");
  private static final String RESOURCE = "tandem_broker";
  private static final int ONLINE = 110;
  private static final int OFFLINE = 100;
  private static final int CLEAN_UNEXPECTED_OFFLINE = 4;
  private static final int CLEAN_MONITOR_HUNG = 5;

  private Path dir;
  private Path log;
  private Path pidFile;
  private Path config;
  private final Map<String, String> values = new LinkedHashMap<>();
  private VcsTypes types;

  @BeforeAll
  static void tools() {
    for (String tool : List.of("curl", "setsid", "shellcheck")) {
      if (!Files.isExecutable(Path.of("/usr/bin", tool))) {
        throw new AssertionError(tool + " is missing: run .ci/run or apt-get install " + tool);
      }
    }
  }

  @BeforeEach
  void files(TestInfo test) throws Exception {
    dir = Path.of("target", "it", "vcs", test.getTestMethod().orElseThrow().getName());
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    dir = Files.createDirectories(dir).toAbsolutePath();
    log = dir.resolve("test.log");
    pidFile = dir.resolve("broker.pid");
    config = dir.resolve("tandem.conf");
    Files.writeString(
        config,
        "listen = amqp://127.0.0.1:"
            + freePort()
            + "\nadmin_listen = http://127.0.0.1:"
            + freePort()
            + "\nstore = store\n");
    assertEquals(
        0,
        run(
            List.of(
                HOME.resolve("bin/tandem").toString(),
                "store",
                "fence",
                dir.resolve("store").toString(),
                "--raise")));
    types = new VcsTypes(HOME.resolve("vcs-agent-scripts/TandemTypes.cf"));
    values.putAll(VcsTypes.resource(HOME.resolve("vcs-agent-scripts/main.cf"), "Tandem", RESOURCE));
    // The example's paths and user are a production host's; the rest is the example's.
    values.put("Home", HOME.toString());
    values.put("Config", config.toString());
    values.put("JavaHome", System.getProperty("java.home"));
    values.put("User", "");
    values.put("PidFile", pidFile.toString());
    values.put("LogFile", dir.resolve("broker.log").toString());
  }

  @AfterEach
  void stopEverything() {
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(config.toString())).orElse(false))
        .forEach(ProcessHandle::destroyForcibly);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Runs a command with output appended to the test log; its exit status. */
  private int run(List<String> command) throws Exception {
    Files.writeString(
        log,
        "$ " + String.join(" ", command) + "\n",
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " hung; log " + log);
    }
    Files.writeString(
        log, "[exit " + p.exitValue() + "]\n", java.nio.file.StandardOpenOption.APPEND);
    return p.exitValue();
  }

  private int entryPoint(String name, String... cleanReason) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(AGENT_DIR.resolve(name).toString());
    command.add(RESOURCE);
    command.addAll(List.of(cleanReason));
    command.addAll(types.arguments(values));
    return run(command);
  }

  private long pid() throws IOException {
    return Long.parseLong(Files.readString(pidFile).strip());
  }

  /** Alive and not a zombie: init on a CI machine may never reap the detached broker. */
  private static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void shouldGoOnlineAndOfflineAndReportAKilledBrokerOffline() throws Exception {
    assertEquals(OFFLINE, entryPoint("monitor"));
    assertEquals(0, entryPoint("online"));
    assertEquals(ONLINE, entryPoint("monitor"));
    values.put("MonitorDepth", "20");
    assertEquals(ONLINE, entryPoint("monitor"), "a message round trip passes");
    values.put("MonitorDepth", "0");
    assertEquals(ONLINE, entryPoint("monitor"));

    long first = pid();
    assertEquals(0, run(List.of("kill", "-KILL", Long.toString(first))));
    await("killed broker " + first + " gone", () -> !running(first));
    assertEquals(OFFLINE, entryPoint("monitor"), "a killed broker is offline");
    assertEquals(0, entryPoint("clean", Integer.toString(CLEAN_UNEXPECTED_OFFLINE)));
    assertFalse(Files.exists(pidFile));
    assertEquals(OFFLINE, entryPoint("monitor"));

    assertEquals(0, entryPoint("online"));
    assertEquals(ONLINE, entryPoint("monitor"));
    long second = pid();
    assertEquals(0, entryPoint("offline"));
    assertFalse(running(second));
    assertEquals(OFFLINE, entryPoint("monitor"));
    assertEquals(0, entryPoint("offline"), "offline is safe to repeat");
    String out = Files.readString(log);
    assertTrue(out.contains("Tandem:tandem_broker:online: info: started broker"), out);
    String broker = Files.readString(dir.resolve("broker.log"));
    assertTrue(broker.substring(broker.lastIndexOf("=== ")).contains("broker stopped"), broker);
  }

  @Test
  void shouldReportTheExitStatusABrokerRecordedWhenItFailedToStart() throws Exception {
    int amqp =
        Integer.parseInt(
            Files.readString(config).replaceAll("(?s).*amqp://127\\.0\\.0\\.1:(\\d+).*", "$1"));
    try (ServerSocket taken =
        new ServerSocket(amqp, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
      assertTrue(taken.isBound());
      assertEquals(0, entryPoint("online"));
    }
    assertEquals(OFFLINE, entryPoint("monitor"));
    String out = Files.readString(log);
    assertTrue(
        out.contains(
            "online: err: the broker exited while starting: exited with status 1 (FAILURE):"
                + " startup failed: "),
        out);
    assertTrue(Files.readString(dir.resolve("broker.exit")).startsWith("1 FAILURE startup failed"));
    assertEquals(0, entryPoint("online"), "the next online finds the port free");
    assertEquals(ONLINE, entryPoint("monitor"));
    assertEquals(0, entryPoint("offline"));
  }

  @Test
  void shouldCleanAHungBroker() throws Exception {
    assertEquals(0, entryPoint("online"));
    long pid = pid();
    assertEquals(0, run(List.of("kill", "-STOP", Long.toString(pid))));
    values.put("MonitorDepth", "0");
    assertEquals(ONLINE, entryPoint("monitor"), "depth 0 sees only the process");
    values.put("MonitorDepth", "10");
    assertEquals(OFFLINE, entryPoint("monitor"), "a hung broker does not serve");
    assertEquals(0, entryPoint("clean", Integer.toString(CLEAN_MONITOR_HUNG)));
    assertFalse(running(pid), "clean killed the hung broker");
    assertEquals(OFFLINE, entryPoint("monitor"));
    assertEquals(0, entryPoint("clean", Integer.toString(CLEAN_MONITOR_HUNG)), "clean repeats");
  }

  /**
   * offline escalates to SIGKILL after StopTimeout, through the library the OCF agent uses too.
   * Home's bin/tandem runs the real one with SIGTERM ignored; a JVM that starts with SIGTERM
   * ignored installs no handler for it, so the broker process ignores it for good.
   */
  @Test
  void shouldKillABrokerThatIgnoresSigtermAfterStopTimeout() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home-ignoring-sigterm"));
    Files.createSymbolicLink(home.resolve("libexec"), HOME.resolve("libexec"));
    Path tandem = Files.createDirectories(home.resolve("bin")).resolve("tandem");
    Files.writeString(
        tandem,
        "#!/bin/sh\n# Runs the real bin/tandem with SIGTERM ignored.\ntrap '' TERM\nexec '"
            + HOME.resolve("bin/tandem")
            + "' \"$@\"\n");
    Files.setPosixFilePermissions(
        tandem, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    values.put("Home", home.toString());
    values.put("StopTimeout", "3");
    assertEquals(0, entryPoint("online"));
    assertEquals(ONLINE, entryPoint("monitor"));
    long pid = pid();

    long before = System.nanoTime();
    assertEquals(0, entryPoint("offline"));
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
    assertFalse(running(pid), "offline waits until the killed broker is gone");
    String out = Files.readString(log);
    assertTrue(
        out.contains("Tandem:tandem_broker:offline: warn: killing broker " + pid + " (SIGKILL)"),
        out);
    // The library's clock counts whole seconds, so its wait may be up to one second short.
    assertTrue(tookMillis >= 2000, "offline waited " + tookMillis + " ms before SIGKILL");
    String broker = Files.readString(dir.resolve("broker.log"));
    assertFalse(broker.contains("broker stopped"), "SIGKILL, not a clean shutdown, ended it");
    assertEquals(OFFLINE, entryPoint("monitor"));
    assertEquals(0, entryPoint("offline"), "offline is safe to repeat");
  }

  @Test
  void shouldDeclareEveryAttributeTheExampleUses() throws Exception {
    Map<String, String> example =
        VcsTypes.resource(HOME.resolve("vcs-agent-scripts/main.cf"), "Tandem", RESOURCE);
    for (String attr : example.keySet()) {
      assertTrue(types.defaults.containsKey(attr), attr + " is not declared in TandemTypes.cf");
    }
    assertEquals(
        types.defaults.keySet().stream().toList(),
        types.argList,
        "every attribute is passed to the entry points");
  }

  @Test
  void shouldShowTheTestedExampleInTheDocs() throws Exception {
    String block = DocBlocks.only(HOME.resolve("docs/vcs.md"), "maincf");
    assertEquals(Files.readString(HOME.resolve("vcs-agent-scripts/main.cf")), block);
  }

  @Test
  void shouldPassShellcheck() throws Exception {
    List<String> command = new ArrayList<>(List.of("shellcheck", "-s", "sh"));
    try (var files = Files.list(AGENT_DIR)) {
      files.sorted().forEach(f -> command.add(f.toString()));
    }
    assertEquals(0, run(command), () -> "shellcheck findings in " + log);
  }

  private static void await(String what, java.util.function.BooleanSupplier condition)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after 30 s waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
