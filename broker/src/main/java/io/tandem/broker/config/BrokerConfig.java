package io.tandem.broker.config;

import io.tandem.process.log.LogLevels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The validated contents of {@code tandem.conf} and the files it names.
 *
 * @param source the {@code tandem.conf} this was read from
 * @param server the broker's name, also the AMQP container id it announces
 * @param listen the AMQP listeners
 * @param adminListen the HTTP admin/health listener
 * @param store the store directory
 * @param queues rules from {@code queues.conf}
 * @param topics rules from {@code topics.conf}
 * @param maxMsgMemory bytes of message data held in memory before producers are slowed
 * @param security authentication and authorization: users, groups, acl_list, authorization
 * @param maxConnections client connections accepted at once, 0 for no limit
 * @param idleTimeout AMQP idle timeout announced to clients (heartbeats every half of it)
 * @param maxFrameSize the largest AMQP frame accepted
 * @param maxMsgSize the largest message accepted ({@code max_msg_size}); never above what the store
 *     can read back
 * @param storeAsyncFlush how long writes to {@code async-msgs.db} may stay unflushed
 * @param storeMinimum bytes preallocated for each store segment
 * @param dupDetectWindow producer message ids remembered per destination for duplicate detection
 * @param storeIoTimeout how long a store operation may take before the broker stops serving
 * @param storeIoExitGrace how long after that the broker exits if the operation has not returned
 * @param ft hot-warm fault tolerance, or {@code null} when {@code ft_active} is not set
 * @param limits per-connection bounds against hostile or broken clients
 * @param tls TLS on the listeners, the admin endpoint and the peer link
 * @param peerAuth how the members of a hot-warm pair authenticate each other
 * @param adminAccess who may use the admin endpoint ({@code admin_public}, {@code admin_hostnames})
 * @param logLevels the levels {@code log_levels} sets for packages, applied when the broker starts
 */
public record BrokerConfig(
    Path source,
    String server,
    List<Endpoint> listen,
    Endpoint adminListen,
    Path store,
    DestinationRules queues,
    DestinationRules topics,
    long maxMsgMemory,
    SecurityConfig security,
    int maxConnections,
    Duration idleTimeout,
    int maxFrameSize,
    long maxMsgSize,
    Duration storeAsyncFlush,
    long storeMinimum,
    int dupDetectWindow,
    Duration storeIoTimeout,
    Duration storeIoExitGrace,
    FtConfig ft,
    ClientLimits limits,
    TlsConfig tls,
    PeerAuthConfig peerAuth,
    AdminConfig adminAccess,
    LogLevels logLevels) {

  public BrokerConfig {
    listen = List.copyOf(listen);
    tls = tls == null ? TlsConfig.none() : tls;
    peerAuth = peerAuth == null ? PeerAuthConfig.none() : peerAuth;
    security = security == null ? SecurityConfig.none() : security;
    adminAccess = adminAccess == null ? AdminConfig.defaults() : adminAccess;
    logLevels = logLevels == null ? LogLevels.none() : logLevels;
  }

  /** A copy listening on the given endpoints, e.g. port 0 for tests. */
  public BrokerConfig withListeners(List<Endpoint> amqp, Endpoint admin) {
    return new BrokerConfig(
        source,
        server,
        amqp,
        admin,
        store,
        queues,
        topics,
        maxMsgMemory,
        security,
        maxConnections,
        idleTimeout,
        maxFrameSize,
        maxMsgSize,
        storeAsyncFlush,
        storeMinimum,
        dupDetectWindow,
        storeIoTimeout,
        storeIoExitGrace,
        ft,
        limits,
        tls,
        peerAuth,
        adminAccess,
        logLevels);
  }
}
