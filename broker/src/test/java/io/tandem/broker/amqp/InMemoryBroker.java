package io.tandem.broker.amqp;

import io.tandem.broker.config.ClientLimits;
import io.tandem.broker.config.DestinationRules;
import io.tandem.broker.destination.Destinations;
import io.tandem.broker.destination.MemoryBudget;
import io.tandem.broker.store.MemoryStore;
import io.tandem.broker.store.Recovered;
import io.tandem.process.time.Clock;
import java.time.Duration;

/**
 * The broker-side objects an AMQP connection needs, without a socket, a listener or a store on
 * disk: destinations over a {@link MemoryStore}, whose writes complete at once, so that everything
 * a test triggers happens on the test's thread. Each {@link #connect} is a new connection through
 * the pipeline {@link AmqpChannelInitializer} builds, sharing these objects.
 */
final class InMemoryBroker {
  static final int MAX_FRAME_SIZE = 64 * 1024;

  private final AmqpServices services;

  /** A broker without a memory limit that reads {@code clock}. */
  InMemoryBroker(Clock clock) {
    this(clock, 0, 1024 * 1024, Duration.ofSeconds(60));
  }

  /**
   * @param memoryLimit {@code max_msg_memory}, 0 for none
   * @param maxMessageSize {@code max_msg_size}
   * @param idleTimeout the idle timeout the broker announces and enforces
   */
  InMemoryBroker(Clock clock, long memoryLimit, long maxMessageSize, Duration idleTimeout) {
    MemoryBudget memory = new MemoryBudget(memoryLimit);
    Destinations destinations =
        new Destinations(
            "test",
            DestinationRules.allowAll(),
            DestinationRules.allowAll(),
            new MemoryStore(),
            memory,
            clock);
    destinations.recover(Recovered.empty());
    services =
        new AmqpServices(
            "test",
            destinations,
            memory,
            Authenticator.open(),
            new ConnectionRegistry(),
            idleTimeout,
            MAX_FRAME_SIZE,
            maxMessageSize,
            0,
            null,
            ClientLimits.defaults(),
            clock);
  }

  AmqpServices services() {
    return services;
  }

  ConnectionRegistry connections() {
    return services.connections();
  }

  /** A new client connection, through SASL ANONYMOUS and the open. */
  ProtonClient connect(String containerId) {
    ProtonClient client = new ProtonClient(new AmqpChannelInitializer(services), containerId);
    client.open();
    return client;
  }
}
