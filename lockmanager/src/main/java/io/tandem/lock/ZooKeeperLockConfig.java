package io.tandem.lock;

import java.time.Duration;
import java.util.Objects;
import org.apache.curator.utils.PathUtils;

/**
 * Where a ZooKeeper lock lives and how its client behaves.
 *
 * <p>The session timeout bounds failover: a holder that goes silent is told SUSPECT after about two
 * thirds of it, and ZooKeeper hands the lock on only once the whole session timeout has passed
 * without hearing from the holder. The ensemble clamps the timeout to between 2 and 20 of its
 * ticks.
 *
 * @param connectString ZooKeeper servers, {@code host:port[,host:port...]}
 * @param path the lock's znode, e.g. {@code /tandem/prod}; the lock uses {@code <path>/lock},
 *     {@code <path>/epoch} and {@code <path>/holder}
 * @param sessionTimeout requested session timeout
 * @param connectionTimeout how long one operation waits for a connection, and how long {@link
 *     FencedLock#tryAcquire()} and status reads wait for an answer
 * @param retryBaseSleep first pause of the exponential back-off between retries of an operation
 * @param retryMaxSleep longest pause between retries
 * @param retryMaxAttempts retries of one operation after its first try
 * @param security authentication, ACLs and TLS; {@link ZooKeeperSecurity#NONE} for none
 */
public record ZooKeeperLockConfig(
    String connectString,
    String path,
    Duration sessionTimeout,
    Duration connectionTimeout,
    Duration retryBaseSleep,
    Duration retryMaxSleep,
    int retryMaxAttempts,
    ZooKeeperSecurity security) {

  /** Default session timeout. */
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);

  /** Default connection timeout. */
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

  private static final Duration MAX_TIMEOUT = Duration.ofMillis(Integer.MAX_VALUE);

  /** Validates every field once; a bad value is refused with the reason. */
  public ZooKeeperLockConfig {
    connectString = requireText(connectString, "connectString");
    path = requirePath(path);
    requireTimeout(sessionTimeout, "sessionTimeout");
    requireTimeout(connectionTimeout, "connectionTimeout");
    requireTimeout(retryBaseSleep, "retryBaseSleep");
    requireTimeout(retryMaxSleep, "retryMaxSleep");
    if (retryMaxSleep.compareTo(retryBaseSleep) < 0) {
      throw invalid("retryMaxSleep " + retryMaxSleep + " is shorter than retryBaseSleep");
    }
    if (retryMaxAttempts < 0 || retryMaxAttempts > 29) {
      throw invalid("retryMaxAttempts must be between 0 and 29: " + retryMaxAttempts);
    }
    Objects.requireNonNull(security, "security");
  }

  /** The defaults: 10 s session, 5 s connection, 3 retries backing off from 200 ms to 2 s. */
  public static ZooKeeperLockConfig of(String connectString, String path) {
    return new ZooKeeperLockConfig(
        connectString,
        path,
        DEFAULT_SESSION_TIMEOUT,
        DEFAULT_CONNECTION_TIMEOUT,
        Duration.ofMillis(200),
        Duration.ofSeconds(2),
        3,
        ZooKeeperSecurity.NONE);
  }

  /** A copy with another session timeout. */
  public ZooKeeperLockConfig withSessionTimeout(Duration timeout) {
    return new ZooKeeperLockConfig(
        connectString,
        path,
        timeout,
        connectionTimeout,
        retryBaseSleep,
        retryMaxSleep,
        retryMaxAttempts,
        security);
  }

  /** A copy with another connection timeout. */
  public ZooKeeperLockConfig withConnectionTimeout(Duration timeout) {
    return new ZooKeeperLockConfig(
        connectString,
        path,
        sessionTimeout,
        timeout,
        retryBaseSleep,
        retryMaxSleep,
        retryMaxAttempts,
        security);
  }

  /** A copy with another retry policy. */
  public ZooKeeperLockConfig withRetry(Duration baseSleep, Duration maxSleep, int maxAttempts) {
    return new ZooKeeperLockConfig(
        connectString,
        path,
        sessionTimeout,
        connectionTimeout,
        baseSleep,
        maxSleep,
        maxAttempts,
        security);
  }

  /** A copy with other authentication, ACLs and TLS. */
  public ZooKeeperLockConfig withSecurity(ZooKeeperSecurity security) {
    return new ZooKeeperLockConfig(
        connectString,
        path,
        sessionTimeout,
        connectionTimeout,
        retryBaseSleep,
        retryMaxSleep,
        retryMaxAttempts,
        security);
  }

  private static String requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw invalid(field + " must not be blank");
    }
    return value.strip();
  }

  // Also validates the path of a lock built on a caller's Curator client.
  static String requirePath(String path) {
    String p = requireText(path, "path");
    if (!p.startsWith("/") || p.endsWith("/") || p.contains("//") || p.equals("/zookeeper")) {
      throw invalid(
          "path must be an absolute znode path like /tandem/prod, without a trailing slash: " + p);
    }
    if (p.startsWith("/zookeeper/")) {
      throw invalid("path must not be under /zookeeper, which ZooKeeper reserves: " + p);
    }
    if (p.chars().anyMatch(c -> Character.isISOControl(c) || Character.isWhitespace(c))) {
      throw invalid("path must not contain whitespace or control characters: " + p);
    }
    try {
      return PathUtils.validatePath(p);
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  private static void requireTimeout(Duration value, String field) {
    Objects.requireNonNull(value, field);
    if (value.toMillis() < 1 || value.compareTo(MAX_TIMEOUT) > 0) {
      throw invalid(field + " must be at least 1 ms and fit in an int of milliseconds: " + value);
    }
  }

  private static LockException invalid(String reason) {
    return new LockException(
        LockException.Category.CONFIGURATION, "invalid ZooKeeper lock configuration: " + reason);
  }
}
