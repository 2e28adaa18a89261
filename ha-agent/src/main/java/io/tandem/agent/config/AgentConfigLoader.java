package io.tandem.agent.config;

import io.tandem.agent.AgentException;
import io.tandem.agent.AgentPolicy;
import io.tandem.agent.Standby;
import io.tandem.lock.LockException;
import io.tandem.lock.ZooKeeperLockConfig;
import io.tandem.lock.ZooKeeperSecurityKeys;
import io.tandem.process.ProcessException;
import io.tandem.process.config.ConfigFile;
import io.tandem.process.config.ConfigLine;
import io.tandem.process.config.ConfigLines;
import io.tandem.process.config.Values;
import io.tandem.process.log.LogLevels;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads {@code agent.conf}: {@code key = value} lines, {@code #} comments. Relative paths are
 * resolved against the file's directory. Unknown keys, keys set twice, missing required keys and
 * bad values are refused with file, line and reason.
 */
public final class AgentConfigLoader {
  static final Set<String> REQUIRED =
      Set.of("node", "zookeeper", "store", "broker_config", "health_url");

  /** Prefix of the keys of the ZooKeeper lock's security, e.g. {@code zookeeper_auth}. */
  static final String ZOOKEEPER = "zookeeper_";

  static final Set<String> KEYS =
      keys(
          "node",
          "zookeeper",
          "lock_path",
          "session_timeout",
          "zookeeper_reconnect_grace",
          "store",
          "broker_config",
          "health_url",
          "tandem_command",
          "mount_command",
          "mount_timeout",
          "unmount_command",
          "unmount_timeout",
          "fence_command",
          "fence_timeout",
          "monitor_interval",
          "monitor_failures",
          "max_restarts",
          "restart_window",
          "start_timeout",
          "stop_timeout",
          "release_holdoff",
          "run_dir",
          "broker_log",
          "standby",
          "standby_reads_store",
          LogLevels.KEY);

  private static final Duration DAY = Duration.ofDays(1);

  private AgentConfigLoader() {}

  private static Set<String> keys(String... plain) {
    Set<String> all = new java.util.HashSet<>(List.of(plain));
    all.addAll(ZooKeeperSecurityKeys.keys(ZOOKEEPER));
    return Set.copyOf(all);
  }

  /**
   * Loads and validates {@code file}.
   *
   * @param tandemHome where the agent was installed ({@code $TANDEM_HOME}), for the default {@code
   *     tandem_command}; may be null
   * @throws AgentException {@code CONFIG} naming file and line
   */
  public static AgentConfig load(Path file, Path tandemHome) {
    try {
      ConfigLines lines = ConfigFile.load(file, KEYS);
      for (String key : new TreeSet<>(REQUIRED)) {
        if (!lines.has(key)) {
          throw ConfigLine.at(lines.source(), 0, "required key '" + key + "' is missing");
        }
      }
      return new Builder(lines, tandemHome).build();
    } catch (ProcessException e) {
      throw new AgentException(AgentException.Category.CONFIG, e.getMessage(), e);
    }
  }

  /* Typed access to the lines with defaults; defaults are parsed like file values. */
  private record Builder(ConfigLines lines, Path tandemHome) {

    AgentConfig build() {
      Path source = lines.source();
      Path dir = source.getParent();
      Duration session =
          timeInRange(line("session_timeout", "10"), Duration.ofSeconds(1), Duration.ofMinutes(5));
      ZooKeeperLockConfig zk = zooKeeper(session);
      Duration grace = grace(session);
      Path runDir = runDir(dir);
      return new AgentConfig(
          source,
          policy(),
          zk,
          grace,
          dir.resolve(text("store", "")).normalize(),
          existingFile("broker_config", dir),
          healthUrl(),
          tandemCommand(dir),
          hook("mount"),
          hook("unmount"),
          hook("fence"),
          runDir,
          lines.has("broker_log")
              ? dir.resolve(text("broker_log", "")).normalize()
              : runDir.resolve("broker.log"),
          lines.has(LogLevels.KEY) ? LogLevels.parse(line(LogLevels.KEY, "")) : LogLevels.none(),
          standby());
    }

    private Standby standby() {
      ConfigLine standby = line("standby", "cold");
      boolean warm =
          switch (standby.value()) {
            case "warm" -> true;
            case "cold" -> false;
            default -> throw standby.error("'" + standby.value() + "' is not one of warm, cold");
          };
      ConfigLine reads = line("standby_reads_store", "no");
      boolean reading = Values.bool(reads.value(), reads);
      if (reading && !warm) {
        throw reads.error("standby_reads_store needs standby = warm: only a standby broker reads");
      }
      return reading ? Standby.WARM_READING_STORE : warm ? Standby.WARM : Standby.COLD;
    }

    private AgentPolicy policy() {
      ConfigLine node = line("node", "");
      if (!node.value().matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
        throw node.error(
            "node name '" + node.value() + "' must be 1-64 letters, digits, '_', '.' or '-'");
      }
      return new AgentPolicy(
          node.value(),
          timeInRange(line("monitor_interval", "2"), Duration.ofMillis(50), DAY),
          intInRange(line("monitor_failures", "3"), 1, 1000),
          intInRange(line("max_restarts", "3"), 0, 1000),
          timeInRange(line("restart_window", "10min"), Duration.ofSeconds(1), Duration.ofDays(30)),
          timeInRange(line("start_timeout", "60"), Duration.ofSeconds(1), DAY),
          timeInRange(line("stop_timeout", "30"), Duration.ofMillis(100), DAY),
          timeInRange(line("release_holdoff", "30"), Duration.ZERO, Duration.ofDays(30)));
    }

    private ZooKeeperLockConfig zooKeeper(Duration session) {
      ConfigLine connect = line("zookeeper", "");
      if (!connect.value().matches("[^\\s,]+:\\d+(,[^\\s,]+:\\d+)*(/[^\\s]*)?")) {
        throw connect.error(
            "'"
                + connect.value()
                + "' is not a ZooKeeper connect string such as zk1:2181,zk2:2181,zk3:2181");
      }
      ConfigLine path = line("lock_path", "/tandem/ha");
      try {
        Duration connection =
            session.dividedBy(2).compareTo(Duration.ofSeconds(5)) > 0
                ? Duration.ofSeconds(5)
                : session.dividedBy(2);
        return ZooKeeperLockConfig.of(connect.value(), path.value())
            .withSessionTimeout(session)
            .withConnectionTimeout(connection)
            .withRetry(Duration.ofMillis(100), Duration.ofSeconds(1), 3)
            .withSecurity(ZooKeeperSecurityKeys.parse(ZOOKEEPER, securityKeys()));
      } catch (LockException e) {
        throw path.error(e.getMessage());
      }
    }

    private ZooKeeperSecurityKeys.Source securityKeys() {
      return ZooKeeperSecurityKeys.Source.of(
          key -> lines.has(key) ? lines.text(key, "") : null,
          lines.source().getParent(),
          (key, reason) -> line(key, "").error(reason));
    }

    /*
     * A silent network is noticed after two thirds of the session timeout, and the session
     * expires at the full timeout: the grace must leave time to stop the broker in between.
     */
    private Duration grace(Duration session) {
      ConfigLine grace = line("zookeeper_reconnect_grace", session.dividedBy(5).toMillis() + "ms");
      Duration value = Values.time(grace.value(), grace, ChronoUnit.SECONDS);
      if (value.compareTo(session.dividedBy(3)) >= 0) {
        throw grace.error(
            "'"
                + grace.value()
                + "' must be shorter than a third of session_timeout ("
                + Values.describe(session.dividedBy(3))
                + ")");
      }
      return value;
    }

    // The control socket lives here, and a Unix socket path is limited to 107 bytes.
    private Path runDir(Path dir) {
      ConfigLine line = line("run_dir", "../var/ha-agent");
      Path runDir = dir.resolve(line.value()).normalize();
      int length = runDir.resolve("agent.sock").toString().getBytes(StandardCharsets.UTF_8).length;
      if (length > 107) {
        throw line.error(
            "'"
                + runDir
                + "' is too long for the control socket agent.sock in it ("
                + length
                + " bytes, at most 107)");
      }
      return runDir;
    }

    private URI healthUrl() {
      ConfigLine url = line("health_url", "");
      try {
        URI uri = new URI(url.value());
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1) {
          throw url.error(
              "'"
                  + url.value()
                  + "' must be an http URL with host and port, e.g. http://127.0.0.1:9672/health");
        }
        return uri;
      } catch (URISyntaxException e) {
        throw url.error("'" + url.value() + "' is not a URL: " + e.getMessage());
      }
    }

    private Path tandemCommand(Path dir) {
      if (lines.has("tandem_command")) {
        return existingFile("tandem_command", dir);
      }
      if (tandemHome == null) {
        throw ConfigLine.at(
            lines.source(),
            0,
            "tandem_command is not set and TANDEM_HOME is unknown; set it to bin/tandem");
      }
      Path launcher = tandemHome.resolve("bin/tandem");
      if (!Files.isExecutable(launcher)) {
        throw ConfigLine.at(
            lines.source(),
            0,
            "tandem_command defaults to " + launcher + ", which is not an executable file");
      }
      return launcher;
    }

    private HookCommand hook(String name) {
      Optional<String> command =
          Optional.ofNullable(lines.lines().get(name + "_command")).map(ConfigLine::value);
      Duration timeout = timeInRange(line(name + "_timeout", "60"), Duration.ofMillis(100), DAY);
      return new HookCommand(command, timeout);
    }

    private Path existingFile(String key, Path dir) {
      ConfigLine l = line(key, "");
      Path p = dir.resolve(l.value()).normalize();
      if (!Files.isRegularFile(p)) {
        throw l.error("'" + l.value() + "' (" + p + ") is not a readable file");
      }
      return p;
    }

    private ConfigLine line(String key, String defaultValue) {
      return lines.line(key, defaultValue);
    }

    // agent.conf's times are in seconds unless suffixed, as tandem.conf's
    private static Duration timeInRange(ConfigLine at, Duration min, Duration max) {
      return Values.timeInRange(at, ChronoUnit.SECONDS, min, max);
    }

    private static int intInRange(ConfigLine at, int min, int max) {
      return Values.intInRange(at.value(), at, min, max);
    }

    private String text(String key, String defaultValue) {
      return line(key, defaultValue).value();
    }
  }
}
