package io.tandem.broker.ft;

import io.tandem.broker.RoleMachine;
import io.tandem.broker.config.BrokerConfig;
import io.tandem.broker.metrics.BrokerMetrics;
import io.tandem.broker.server.Broker;
import io.tandem.broker.store.MemoryStore;
import java.time.Duration;

/**
 * A primary of pair {@code pair} in this JVM (in-memory store {@code store-1}, epoch 1, heartbeat
 * every 200 ms) whose listeners answer the peer protocol, for tests of the peer link's front door.
 */
final class PeerPrimary implements AutoCloseable {
  final Broker broker;
  private final BrokerMetrics metrics;

  private PeerPrimary(Broker broker, BrokerMetrics metrics) {
    this.broker = broker;
    this.metrics = metrics;
  }

  /** Starts serving {@code config}'s listeners. */
  static PeerPrimary serve(BrokerConfig config) {
    PeerAcceptor acceptor =
        new PeerAcceptor(
            "pair",
            "store-1",
            1,
            Duration.ofMillis(200),
            Duration.ofSeconds(2),
            new PeerStatus(System::nanoTime),
            System::nanoTime,
            null);
    BrokerMetrics metrics = new BrokerMetrics();
    Broker broker = new Broker(config, new MemoryStore(), new RoleMachine(), acceptor, metrics);
    PeerPrimary primary = new PeerPrimary(broker, metrics);
    try {
      broker.serve("test");
    } catch (RuntimeException | Error e) {
      primary.close();
      throw e;
    }
    return primary;
  }

  @Override
  public void close() {
    try {
      broker.close();
    } finally {
      metrics.close();
    }
  }
}
