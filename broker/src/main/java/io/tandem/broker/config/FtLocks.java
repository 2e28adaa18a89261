package io.tandem.broker.config;

import io.tandem.lock.LockException;
import io.tandem.lock.ZooKeeperLockConfig;
import io.tandem.process.config.ConfigLine;
import io.tandem.process.config.Values;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Parses {@code ft_lock}: {@code file} (the store's own lock) or {@code
 * zookeeper://host:port[,host:port...]/path[?session_timeout=TIME]}.
 */
final class FtLocks {
  private static final String PREFIX = "zookeeper://";

  private FtLocks() {}

  /** The ZooKeeper lock, or null for {@code file}. */
  static ZooKeeperLockConfig parse(ConfigLine line) {
    String text = line.value().strip();
    if (text.equalsIgnoreCase("file")) {
      return null;
    }
    if (!text.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
      throw line.error(
          "ft_lock must be 'file' or zookeeper://host:port[,host:port...]/path, not '"
              + text
              + "'");
    }
    String rest = text.substring(PREFIX.length());
    Duration session = ZooKeeperLockConfig.DEFAULT_SESSION_TIMEOUT;
    int query = rest.indexOf('?');
    if (query >= 0) {
      session = sessionTimeout(rest.substring(query + 1), line);
      rest = rest.substring(0, query);
    }
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      throw line.error("ft_lock '" + text + "' must name servers and a path, e.g. " + example());
    }
    try {
      ZooKeeperLockConfig defaults =
          ZooKeeperLockConfig.of(rest.substring(0, slash), rest.substring(slash));
      return new ZooKeeperLockConfig(
          defaults.connectString(),
          defaults.path(),
          session,
          defaults.connectionTimeout(),
          defaults.retryBaseSleep(),
          defaults.retryMaxSleep(),
          defaults.retryMaxAttempts(),
          defaults.security());
    } catch (LockException e) {
      throw line.error("ft_lock '" + text + "': " + e.getMessage());
    }
  }

  private static Duration sessionTimeout(String query, ConfigLine line) {
    String key = "session_timeout=";
    if (!query.startsWith(key) || query.indexOf('&') >= 0) {
      throw line.error("ft_lock accepts only ?session_timeout=TIME, not '?" + query + "'");
    }
    Duration d = Values.time(query.substring(key.length()), line, ChronoUnit.SECONDS);
    if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(Duration.ofMinutes(5)) > 0) {
      throw line.error("ft_lock session_timeout must be between 1sec and 5min");
    }
    return d;
  }

  private static String example() {
    return PREFIX + "zk1:2181,zk2:2181,zk3:2181/tandem/pair1";
  }
}
