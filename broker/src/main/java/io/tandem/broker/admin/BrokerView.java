package io.tandem.broker.admin;

import io.tandem.broker.RoleMachine;
import io.tandem.broker.amqp.ConnectionRegistry;
import io.tandem.broker.config.BrokerConfig;
import io.tandem.broker.config.Endpoint;
import io.tandem.broker.destination.Destinations;
import io.tandem.broker.destination.MemoryBudget;
import io.tandem.broker.store.StoreWatchdog;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What the admin endpoint reads from a broker. */
public interface BrokerView {
  /** The configuration in force. */
  BrokerConfig config();

  /** The role state machine. */
  RoleMachine roles();

  /** The destinations, or {@code null} while this broker does not serve (e.g. an FT backup). */
  Destinations destinations();

  /** The live connections. */
  ConnectionRegistry connections();

  /** Message memory in use. */
  MemoryBudget memory();

  /** How long the process has run, by its monotonic clock. */
  Duration uptime();

  /** The bound AMQP listeners. */
  List<Endpoint> listeners();

  /**
   * How this broker holds the right to serve, for {@code /state}: at least {@code mode}; a hot-warm
   * pair member adds epoch, lock, peer and heartbeat age.
   */
  default Map<String, Object> availability() {
    return Map.of("mode", "standalone");
  }

  /**
   * The watchdog of the store's I/O, or {@code null} when nothing watches it (an in-memory store,
   * an embedded broker): {@code /health} is 503 while it says the store is not live.
   */
  default StoreWatchdog storeWatchdog() {
    return null;
  }
}
