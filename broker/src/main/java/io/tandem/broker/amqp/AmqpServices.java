package io.tandem.broker.amqp;

import io.tandem.broker.config.ClientLimits;
import io.tandem.broker.destination.Destinations;
import io.tandem.broker.destination.MemoryBudget;
import io.tandem.process.time.Clock;
import java.time.Duration;

/**
 * What every connection needs from the broker.
 *
 * @param server the broker name, announced as container id
 * @param destinations the destinations
 * @param memory the message memory budget
 * @param authenticator SASL authentication
 * @param connections the live connections
 * @param idleTimeout announced idle timeout
 * @param maxFrameSize the largest frame accepted
 * @param maxMessageSize the largest message accepted ({@code max_msg_size})
 * @param maxConnections connections accepted at once, 0 for no limit
 * @param peer the hot-warm pair's peer protocol on the same port, or {@code null} outside a pair
 * @param limits per-connection bounds: handshake time, sessions, links, transactions
 * @param clock what connections read time from: arrival timestamps of messages (wall time) and the
 *     engine's idle-timeout and heartbeat deadlines (monotonic time)
 */
public record AmqpServices(
    String server,
    Destinations destinations,
    MemoryBudget memory,
    Authenticator authenticator,
    ConnectionRegistry connections,
    Duration idleTimeout,
    int maxFrameSize,
    long maxMessageSize,
    int maxConnections,
    PeerService peer,
    ClientLimits limits,
    Clock clock) {}
