package io.tandem.broker.config;

import io.tandem.broker.store.StoreOptions;
import io.tandem.lock.ZooKeeperLockConfig;
import io.tandem.lock.ZooKeeperSecurityKeys;
import io.tandem.process.config.ConfigFile;
import io.tandem.process.config.ConfigLine;
import io.tandem.process.config.ConfigLines;
import io.tandem.process.config.Values;
import io.tandem.process.log.LogLevels;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code tandem.conf}. Relative paths inside it are resolved against the directory that holds
 * it, so a configuration directory can be moved as a whole.
 */
public final class ConfigLoader {
  static final Set<String> KEYS =
      keys(
          "server",
          "listen",
          "admin_listen",
          "store",
          "queues",
          "topics",
          "max_msg_memory",
          "authorization",
          "users",
          "groups",
          "acl_list",
          "allow_plain_without_tls",
          "max_connections",
          "amqp_idle_timeout",
          "amqp_max_frame_size",
          "max_msg_size",
          "store_async_flush",
          "store_minimum",
          "dup_detect_window",
          "store_io_timeout",
          "store_io_exit_grace",
          "handshake_timeout",
          "max_sessions_per_connection",
          "max_links_per_connection",
          "max_txns_per_connection",
          "max_txn_size",
          "ft_active",
          "ft_heartbeat",
          "ft_activation",
          "ft_follow",
          "ft_reconnect_timeout",
          "ft_lock",
          "authorization",
          "password",
          "password_file",
          "groups",
          "acl_list",
          "admin_public",
          "admin_hostnames",
          LogLevels.KEY);

  /** Prefix of the keys of {@code ft_lock}'s ZooKeeper security, e.g. {@code ..._auth}. */
  static final String FT_LOCK_ZOOKEEPER = "ft_lock_zookeeper_";

  /**
   * Default {@code max_msg_size}: one message never takes more than this much heap while it
   * arrives, and it is far below the largest record the store can read back.
   */
  static final String DEFAULT_MAX_MSG_SIZE = "64MB";

  private ConfigLoader() {}

  private static Set<String> keys(String... plain) {
    Set<String> all = new java.util.HashSet<>(List.of(plain));
    all.addAll(ZooKeeperSecurityKeys.keys(FT_LOCK_ZOOKEEPER));
    all.addAll(TlsKeys.keys());
    return Set.copyOf(all);
  }

  /** Every key {@code tandem.conf} may set. */
  public static Set<String> keys() {
    return KEYS;
  }

  /**
   * A validated configuration and the value of each key it uses, as the broker reads it: set in the
   * file or the default the broker applies, paths resolved against the file's directory. A key the
   * broker does not read in this configuration (unset, with no default of its own) is absent.
   */
  public record Loaded(BrokerConfig config, Map<String, String> values) {
    public Loaded {
      values = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(values));
    }
  }

  /**
   * Loads and validates {@code file}; throws {@link io.tandem.broker.BrokerException} (category
   * CONFIG) naming file and line.
   */
  public static BrokerConfig load(Path file) {
    return loadWithValues(file).config();
  }

  /** Loads and validates {@code file} as {@link #load} does, keeping each key's value. */
  public static Loaded loadWithValues(Path file) {
    return ConfigErrors.asBroker(
        () -> {
          ConfigLines lines = ConfigFile.load(file, KEYS);
          Map<String, String> values = new HashMap<>();
          lines.lines().forEach((key, line) -> values.put(key, line.value()));
          BrokerConfig config = build(new Settings(lines.source(), lines.lines(), values));
          return new Loaded(config, values);
        });
  }

  /**
   * Reads the lines of a configuration file that the broker reads elsewhere (the users file):
   * throws {@link io.tandem.broker.BrokerException} (category CONFIG) naming the file, and the line
   * where the bytes are not UTF-8.
   */
  public static List<String> lines(Path file) {
    return ConfigErrors.asBroker(() -> ConfigFile.readRaw(file.toAbsolutePath().normalize()));
  }

  private static BrokerConfig build(Settings s) {
    Path source = s.source();
    Map<String, ConfigLine> lines = s.lines();
    Path dir = source.getParent();
    String server = s.text("server", "tandem");
    if (!server.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
      throw lines
          .get("server")
          .error("server name '" + server + "' must be 1-64 letters, digits, '_', '.' or '-'");
    }
    List<Endpoint> listen = new ArrayList<>();
    ConfigLine listenLine = s.line("listen", "amqp://127.0.0.1:5672");
    for (String url : listenLine.value().split(",")) {
      listen.add(Endpoint.parse(url, List.of("amqp", "amqps"), listenLine));
    }
    ConfigLine adminLine = s.line("admin_listen", "http://127.0.0.1:9672");
    Endpoint admin = Endpoint.parse(adminLine.value(), List.of("http", "https"), adminLine);
    Path store = s.path("store", "store", dir);
    DestinationRules queues = s.rules("queues", dir);
    DestinationRules topics = s.rules("topics", dir);
    long maxMemory = s.size("max_msg_memory", "512MB");
    SecurityConfig security = security(s, dir);
    int maxConnections = s.intValue("max_connections", "0", 0, 1_000_000);
    Duration idle = s.time("amqp_idle_timeout", "60", ChronoUnit.SECONDS);
    long frame = s.size("amqp_max_frame_size", "256KB");
    if (frame < 512 || frame > 64L * 1024 * 1024) {
      throw s.line("amqp_max_frame_size", "").error("must be between 512 bytes and 64MB");
    }
    long maxMsgSize = recordSize(s, "max_msg_size", DEFAULT_MAX_MSG_SIZE);
    Duration asyncFlush = s.time("store_async_flush", "100msec", ChronoUnit.MILLIS);
    if (asyncFlush.isZero() || asyncFlush.compareTo(Duration.ofMinutes(1)) > 0) {
      throw s.line("store_async_flush", "").error("must be between 1msec and 1min");
    }
    long storeMinimum = s.size("store_minimum", "64MB");
    if (storeMinimum < 64 * 1024 || storeMinimum > 1024L * 1024 * 1024) {
      throw s.line("store_minimum", "").error("must be between 64KB and 1GB");
    }
    int dupWindow = s.intValue("dup_detect_window", "100000", 0, 10_000_000);
    Duration ioTimeout = s.time("store_io_timeout", "10", ChronoUnit.SECONDS);
    if (ioTimeout.compareTo(Duration.ofSeconds(1)) < 0
        || ioTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
      throw s.line("store_io_timeout", "")
          .error(
              "must be between 1sec (a flush on a busy disk may take hundreds of milliseconds)"
                  + " and 10min");
    }
    Duration ioGrace = s.time("store_io_exit_grace", "5", ChronoUnit.SECONDS);
    if (ioGrace.compareTo(Duration.ofMinutes(10)) > 0) {
      throw s.line("store_io_exit_grace", "").error("must be between 0 and 10min");
    }
    FtConfig ft = ft(s);
    TlsConfig tls = TlsKeys.parse(s, dir, listen, admin, ft);
    return new BrokerConfig(
        source,
        server,
        listen,
        admin,
        store,
        queues,
        topics,
        maxMemory,
        security,
        maxConnections,
        idle,
        (int) frame,
        maxMsgSize,
        asyncFlush,
        storeMinimum,
        dupWindow,
        ioTimeout,
        ioGrace,
        ft,
        limits(s),
        tls,
        PeerAuthKeys.read(s.lines(), dir, ft != null, security.users() != null),
        AdminConfig.parse(
            s.line("admin_public", AdminConfig.DEFAULT_PUBLIC),
            s.has("admin_hostnames") ? s.line("admin_hostnames", "") : null),
        s.has(LogLevels.KEY) ? LogLevels.parse(s.line(LogLevels.KEY, "")) : LogLevels.none());
  }

  /**
   * A size that the store must be able to read back as one record: refused above {@link
   * StoreOptions#MAX_RECORD_BYTES}, and 0 (which used to mean "no limit") is refused too.
   */
  private static long recordSize(Settings s, String key, String defaultValue) {
    long value = s.size(key, defaultValue);
    if (value < 1 || value > StoreOptions.MAX_RECORD_BYTES) {
      throw s.line(key, "")
          .error(
              key
                  + " must be between 1 byte and "
                  + StoreOptions.MAX_RECORD_BYTES
                  + " bytes, the largest record the store can read back");
    }
    return value;
  }

  private static ClientLimits limits(Settings s) {
    Duration handshake = s.time("handshake_timeout", "10", ChronoUnit.SECONDS);
    if (handshake.compareTo(Duration.ofMillis(100)) < 0
        || handshake.compareTo(Duration.ofMinutes(10)) > 0) {
      throw s.line("handshake_timeout", "").error("must be between 100msec and 10min");
    }
    return new ClientLimits(
        handshake,
        s.intValue(
            "max_sessions_per_connection",
            String.valueOf(ClientLimits.DEFAULT_MAX_SESSIONS),
            1,
            65_535),
        s.intValue(
            "max_links_per_connection",
            String.valueOf(ClientLimits.DEFAULT_MAX_LINKS),
            1,
            1_000_000),
        s.intValue(
            "max_txns_per_connection",
            String.valueOf(ClientLimits.DEFAULT_MAX_TRANSACTIONS),
            1,
            1_000_000),
        recordSize(s, "max_txn_size", String.valueOf(ClientLimits.DEFAULT_MAX_TXN_SIZE)));
  }

  private static SecurityConfig security(Settings s, Path dir) {
    ConfigLine auth = s.line("authorization", "disabled");
    boolean enabled = Values.bool(auth.value(), auth);
    Path users = s.has("users") ? s.existingFile("users", dir) : null;
    if (enabled && users == null) {
      throw auth.error(
          "authorization = enabled needs a users file (users = users.conf): nobody could connect");
    }
    Path groups = s.has("groups") ? s.existingFile("groups", dir) : null;
    Path acl = s.has("acl_list") ? s.existingFile("acl_list", dir) : null;
    ConfigLine plain = s.line("allow_plain_without_tls", "disabled");
    return new SecurityConfig(enabled, users, groups, acl, Values.bool(plain.value(), plain));
  }

  /** The {@code ft_*} keys; null when {@code ft_active} is absent (then none may be set). */
  private static FtConfig ft(Settings s) {
    if (!s.has("ft_active")) {
      List<String> ftKeys =
          new ArrayList<>(
              List.of(
                  "ft_heartbeat", "ft_activation", "ft_reconnect_timeout", "ft_lock", "ft_follow"));
      ftKeys.addAll(ZooKeeperSecurityKeys.keys(FT_LOCK_ZOOKEEPER));
      for (String key : ftKeys) {
        if (s.has(key)) {
          throw s.line(key, "").error(key + " is set but ft_active (the peer's URL) is not");
        }
      }
      return null;
    }
    ConfigLine peerLine = s.line("ft_active", "");
    Endpoint peer = Endpoint.parse(peerLine.value(), List.of("amqp", "amqps"), peerLine);
    if (peer.port() == 0) {
      throw peerLine.error("ft_active must name the peer's real port, not 0");
    }
    Duration heartbeat = s.time("ft_heartbeat", "3", ChronoUnit.SECONDS);
    if (heartbeat.compareTo(Duration.ofMillis(100)) < 0) {
      throw s.line("ft_heartbeat", "").error("must be at least 100msec");
    }
    Duration activation = s.time("ft_activation", "10", ChronoUnit.SECONDS);
    if (activation.compareTo(heartbeat.multipliedBy(2)) < 0) {
      throw s.line("ft_activation", "")
          .error(
              "ft_activation ("
                  + activation.toMillis()
                  + " ms) must be at least twice ft_heartbeat ("
                  + heartbeat.toMillis()
                  + " ms), or one late heartbeat would start a takeover");
    }
    Duration reconnect = s.time("ft_reconnect_timeout", "60", ChronoUnit.SECONDS);
    ConfigLine follow = s.line("ft_follow", "enabled");
    return new FtConfig(
        peer, heartbeat, activation, reconnect, ftLock(s), Values.bool(follow.value(), follow));
  }

  // ft_lock, with the security of a ZooKeeper lock from the ft_lock_zookeeper_* keys.
  private static ZooKeeperLockConfig ftLock(Settings s) {
    ZooKeeperLockConfig zk = FtLocks.parse(s.line("ft_lock", "file"));
    ZooKeeperSecurityKeys.Source keys =
        ZooKeeperSecurityKeys.Source.of(
            key -> s.has(key) ? s.text(key, "") : null,
            s.source().getParent(),
            (key, reason) -> s.line(key, "").error(reason));
    if (zk == null) {
      for (String key : ZooKeeperSecurityKeys.keys(FT_LOCK_ZOOKEEPER)) {
        if (s.has(key)) {
          throw s.line(key, "").error(key + " is set but ft_lock is not a zookeeper:// lock");
        }
      }
      return null;
    }
    return zk.withSecurity(ZooKeeperSecurityKeys.parse(FT_LOCK_ZOOKEEPER, keys));
  }

  /**
   * Typed access to the lines with defaults; defaults are parsed like file values. {@code values}
   * collects what each key read resolved to, default or path, for {@link Loaded}.
   */
  record Settings(Path source, Map<String, ConfigLine> lines, Map<String, String> values) {
    boolean has(String key) {
      return lines.containsKey(key);
    }

    ConfigLine line(String key, String defaultValue) {
      ConfigLine line = lines.get(key);
      if (line != null) {
        return line;
      }
      if (!defaultValue.isEmpty()) {
        values.putIfAbsent(key, defaultValue);
      }
      return new ConfigLine(source, 0, key, defaultValue);
    }

    String text(String key, String defaultValue) {
      return line(key, defaultValue).value();
    }

    long size(String key, String defaultValue) {
      ConfigLine l = line(key, defaultValue);
      return Values.size(l.value(), l);
    }

    int intValue(String key, String defaultValue, int min, int max) {
      ConfigLine l = line(key, defaultValue);
      return Values.intInRange(l.value(), l, min, max);
    }

    Duration time(String key, String defaultValue, ChronoUnit unit) {
      ConfigLine l = line(key, defaultValue);
      return Values.time(l.value(), l, unit);
    }

    /** {@code key}'s value as a path against {@code dir}; a value no path can have is refused. */
    Path path(String key, String defaultValue, Path dir) {
      ConfigLine l = line(key, defaultValue);
      try {
        Path resolved = dir.resolve(l.value()).normalize();
        if (!l.value().isEmpty()) {
          values.put(key, resolved.toString());
        }
        return resolved;
      } catch (InvalidPathException e) {
        throw l.error(
            "'" + l.value().replace("\0", "\\0") + "' is not a valid path: " + e.getReason());
      }
    }

    Path existingFile(String key, Path dir) {
      ConfigLine l = lines.get(key);
      Path p = path(key, "", dir);
      if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
        throw l.error("file '" + p + "' does not exist or is not readable");
      }
      return p;
    }

    DestinationRules rules(String key, Path dir) {
      if (!has(key)) {
        return DestinationRules.allowAll();
      }
      return DestinationRules.parse(existingFile(key, dir));
    }
  }
}
