package io.tandem.broker.amqp;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live AMQP connections, the JMS client ids they hold exclusively, and the accepted sockets
 * that count against {@code max_connections} (from accept, handshake or not).
 */
public final class ConnectionRegistry {
  private final AtomicInteger slots = new AtomicInteger();
  private final Set<AmqpConnection> connections = ConcurrentHashMap.newKeySet();
  private final Map<String, AmqpConnection> clientIds = new ConcurrentHashMap<>();

  void add(AmqpConnection c) {
    connections.add(c);
  }

  void remove(AmqpConnection c) {
    connections.remove(c);
    clientIds.values().remove(c);
  }

  boolean claimClientId(String clientId, AmqpConnection c) {
    return clientIds.putIfAbsent(clientId, c) == null || clientIds.get(clientId) == c;
  }

  Slot takeSlot() {
    slots.incrementAndGet();
    return new Slot();
  }

  /**
   * Accepted sockets holding a {@code max_connections} slot: open client connections and sockets
   * still in their handshake.
   */
  public int slotsTaken() {
    return slots.get();
  }

  /** One accepted socket's slot; released once, however often it is asked to. */
  final class Slot {
    private final AtomicBoolean released = new AtomicBoolean();

    void release() {
      if (released.compareAndSet(false, true)) {
        slots.decrementAndGet();
      }
    }
  }

  /**
   * Closes every connection with {@code failure} as its AMQP error condition, each on its own event
   * loop; returns at once.
   */
  public void closeAll(Throwable failure) {
    for (AmqpConnection c : connections) {
      c.io().execute(() -> c.closeWithError(failure));
    }
  }

  /** Number of open connections. */
  public int count() {
    return connections.size();
  }

  /** A snapshot describing each connection. */
  public List<ConnectionInfo> describe() {
    return connections.stream().map(AmqpConnection::info).toList();
  }

  /**
   * One connection as the admin endpoint shows it.
   *
   * @param remote the peer address
   * @param containerId the client's container id (its JMS client id when it set one)
   * @param user the authenticated user, or {@code anonymous}
   * @param sessions open sessions
   * @param links open links
   */
  public record ConnectionInfo(
      String remote, String containerId, String user, int sessions, int links) {}
}
