package io.tandem.broker.config;

import io.tandem.lock.ZooKeeperLockConfig;
import java.time.Duration;

/**
 * Hot-warm fault tolerance: the {@code ft_*} keys of {@code tandem.conf}. Present only when {@code
 * ft_active} names the peer.
 *
 * @param peer the other broker's AMQP listen address ({@code ft_active})
 * @param heartbeat how often the pair exchange heartbeats ({@code ft_heartbeat})
 * @param activation silence after which the backup tries to take over ({@code ft_activation}); at
 *     least twice the heartbeat
 * @param reconnectTimeout how long a new primary keeps failed-over clients' in-doubt sends in the
 *     duplicate window, however many newer messages arrive ({@code ft_reconnect_timeout})
 * @param zooKeeperLock the ZooKeeper lock from {@code ft_lock}, or {@code null} for the store's
 *     file lock
 * @param follow whether the backup keeps the shared store read ({@code ft_follow}), so that its
 *     activation reads only what the primary wrote since its last pass
 */
public record FtConfig(
    Endpoint peer,
    Duration heartbeat,
    Duration activation,
    Duration reconnectTimeout,
    ZooKeeperLockConfig zooKeeperLock,
    boolean follow) {

  /** Default {@code ft_heartbeat}, as in EMS. */
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(3);

  /** Default {@code ft_activation}, as in EMS. */
  public static final Duration DEFAULT_ACTIVATION = Duration.ofSeconds(10);

  /** Default {@code ft_reconnect_timeout}, as in EMS. */
  public static final Duration DEFAULT_RECONNECT_TIMEOUT = Duration.ofSeconds(60);

  /** Whether the pair uses the store's file lock (the default) rather than ZooKeeper. */
  public boolean fileLock() {
    return zooKeeperLock == null;
  }

  /** The lock for logs and {@code /state}. */
  public String lockDescription() {
    return fileLock()
        ? "file"
        : "zookeeper://" + zooKeeperLock.connectString() + zooKeeperLock.path();
  }
}
