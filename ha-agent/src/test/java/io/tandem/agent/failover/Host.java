package io.tandem.agent.failover;

import io.tandem.agent.AgentException;
import io.tandem.agent.control.ControlClient;
import io.tandem.testing.AdminHttp;
import io.tandem.testing.Await;
import io.tandem.testing.ChildProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/*
 * One "host": an ha-agent started through bin/ha-agent with its own agent.conf, run directory and
 * broker configuration, all brokers sharing one store directory. Every process it starts, and every
 * broker pid its agent reports, is killed by pid on close; logs stay in the host's directory.
 */
final class Host implements AutoCloseable {
  static final Path HOME = Path.of("..").toAbsolutePath().normalize();

  private static final Pattern STANDBY = Pattern.compile("started warm standby broker pid (\\d+)");

  final String node;
  final Path dir;
  final Path conf;
  final Path log;
  final int amqpPort;
  final int adminPort;
  private final Set<Long> brokerPids = ConcurrentHashMap.newKeySet();
  private ChildProcess agent;

  private Host(String node, Path dir, int amqpPort, int adminPort) {
    this.node = node;
    this.dir = dir;
    this.conf = dir.resolve("agent.conf");
    this.log = dir.resolve("agent.log");
    this.amqpPort = amqpPort;
    this.adminPort = adminPort;
  }

  /*
   * Writes the host's files. settings are agent.conf lines that override or add to the defaults
   * of these tests (6 s session, 500 ms monitor interval).
   */
  static Host create(
      Path root,
      String node,
      String zooKeeper,
      String lockPath,
      Path store,
      Map<String, String> settings)
      throws IOException {
    Path dir = Files.createDirectories(root.resolve(node));
    Host host = new Host(node, dir, freePort(), freePort());
    Files.writeString(dir.resolve("queues.conf"), ">  failsafe\n");
    Files.writeString(
        dir.resolve("tandem.conf"),
        "server = "
            + node
            + "\nlisten = amqp://127.0.0.1:"
            + host.amqpPort
            + "\nadmin_listen = http://127.0.0.1:"
            + host.adminPort
            + "\nstore = "
            + store
            + "\nqueues = queues.conf\n");
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("node", node);
    keys.put("zookeeper", zooKeeper);
    keys.put("lock_path", lockPath);
    keys.put("session_timeout", "6");
    keys.put("store", store.toString());
    keys.put("broker_config", "tandem.conf");
    keys.put("health_url", "http://127.0.0.1:" + host.adminPort + "/health");
    keys.put("monitor_interval", "500msec");
    keys.put("monitor_failures", "2");
    keys.put("max_restarts", "3");
    keys.put("start_timeout", "30");
    keys.put("stop_timeout", "10");
    keys.put("release_holdoff", "30");
    keys.put("run_dir", "run");
    keys.putAll(settings);
    StringBuilder text = new StringBuilder();
    keys.forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
    Files.writeString(host.conf, text.toString());
    return host;
  }

  Host start() throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(
            HOME.resolve("bin/ha-agent").toString(), "run", "--config", conf.toString());
    pb.environment()
        .put("HA_AGENT_JAVA_OPTS", "-Xms16m -Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
    pb.environment()
        .put("TANDEM_JAVA_OPTS", "-Xms16m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
    agent = ChildProcess.start(pb, log);
    return this;
  }

  long agentPid() {
    return agent.pid();
  }

  boolean agentAlive() {
    return agent != null && agent.isAlive();
  }

  // The agent's status over its control socket, or empty if it does not answer.
  Map<String, String> status() {
    try {
      String body = ControlClient.call(dir.resolve("run/agent.sock"), "status");
      Map<String, String> fields = new HashMap<>();
      for (String line : body.split("\n")) {
        int colon = line.indexOf(": ");
        if (colon > 0) {
          fields.put(line.substring(0, colon), line.substring(colon + 2));
        }
      }
      long pid = Long.parseLong(fields.getOrDefault("broker_pid", "0"));
      if (pid > 0) {
        brokerPids.add(pid);
      }
      return fields;
    } catch (AgentException e) {
      return Map.of();
    }
  }

  String state() {
    return status().getOrDefault("state", "UNREACHABLE");
  }

  long epoch() {
    return Long.parseLong(status().getOrDefault("epoch", "0"));
  }

  long brokerPid() {
    return Long.parseLong(status().getOrDefault("broker_pid", "0"));
  }

  int health() {
    return AdminHttp.local(adminPort).withTimeout(Duration.ofMillis(500)).status("/health");
  }

  String amqpUrl() {
    return "amqp://127.0.0.1:" + amqpPort;
  }

  void awaitState(String state, Duration timeout) {
    Await.until(
        node + " in state " + state + " (log " + log + ")", timeout, () -> state.equals(state()));
  }

  // Runs bin/ha-agent with a subcommand and this host's configuration; its exit status and output.
  Result cli(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(HOME.resolve("bin/ha-agent").toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--config", conf.toString()));
    Path out = Files.createTempFile(dir, "cli", ".out");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish");
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  record Result(int status, String output) {}

  String brokerLog() {
    return read(dir.resolve("run/broker.log"));
  }

  String agentLog() {
    return read(log);
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // SIGSTOP, SIGCONT or SIGKILL to the agent and to its broker (if one runs).
  void signal(String signal, long brokerPid) {
    List<Long> pids = new ArrayList<>();
    pids.add(agent.pid());
    if (brokerPid > 0) {
      pids.add(brokerPid);
    }
    for (long pid : pids) {
      Processes.signal(signal, pid);
    }
  }

  Optional<Integer> agentExit() {
    return agent.isAlive() ? Optional.empty() : Optional.of(agent.exitValue());
  }

  // The pid of the last warm standby the agent's log names as started (0 if none), remembered.
  long standbyPid() {
    Matcher m = STANDBY.matcher(agentLog());
    long pid = 0;
    while (m.find()) {
      pid = Long.parseLong(m.group(1));
    }
    if (pid > 0) {
      brokerPids.add(pid);
    }
    return pid;
  }

  // Waits until every standby the agent started has checked its configuration and waits.
  void awaitStandbyReady(Duration timeout) {
    Await.until(
        node + "'s warm standby waits (log " + log + ")",
        timeout,
        () -> {
          long started = count(agentLog(), "started warm standby broker pid");
          return started > 0 && started == count(brokerLog(), "standby: configuration checked");
        });
  }

  private static long count(String text, String what) {
    return text.split(Pattern.quote(what), -1).length - 1;
  }

  // Whether nothing listens on this host's AMQP port.
  boolean amqpRefused() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", amqpPort), 1000);
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  void remember(long brokerPid) {
    brokerPids.add(brokerPid);
  }

  @Override
  public void close() {
    if (agent != null) {
      agent.close();
    }
    try {
      Path pidFile = dir.resolve("run/broker.pid");
      if (Files.exists(pidFile)) {
        brokerPids.add(Long.parseLong(Files.readString(pidFile).strip().split(" ")[0]));
      }
    } catch (IOException | NumberFormatException e) {
      // nothing more to learn from it
    }
    for (long pid : brokerPids) {
      ProcessHandle.of(pid)
          .ifPresent(
              p -> {
                Processes.signal("CONT", pid);
                p.destroyForcibly();
              });
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
