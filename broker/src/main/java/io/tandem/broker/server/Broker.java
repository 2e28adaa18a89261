package io.tandem.broker.server;

import io.tandem.broker.BrokerException;
import io.tandem.broker.Role;
import io.tandem.broker.RoleMachine;
import io.tandem.broker.admin.AdminServer;
import io.tandem.broker.admin.BrokerView;
import io.tandem.broker.amqp.AmqpServer;
import io.tandem.broker.amqp.AmqpServices;
import io.tandem.broker.amqp.Authenticator;
import io.tandem.broker.amqp.ConnectionRegistry;
import io.tandem.broker.amqp.PeerService;
import io.tandem.broker.config.BrokerConfig;
import io.tandem.broker.config.Endpoint;
import io.tandem.broker.destination.Destinations;
import io.tandem.broker.destination.MemoryBudget;
import io.tandem.broker.metrics.BrokerMetrics;
import io.tandem.broker.security.AccessControl;
import io.tandem.broker.store.MemoryStore;
import io.tandem.broker.store.MessageStore;
import io.tandem.broker.store.StoreWatchdog;
import io.tandem.process.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * A running broker: store, destinations, AMQP listeners and the admin endpoint. {@link #start}
 * brings it up step by step, logging each step with its duration; {@link #close} takes it down.
 */
public final class Broker implements AutoCloseable, BrokerView {
  private static final Logger LOG = Logger.getLogger(Broker.class.getName());
  private static final Duration DISCONNECT_WAIT = Duration.ofSeconds(1);
  private static final Duration DISCONNECT_POLL = Duration.ofMillis(20);

  private final BrokerConfig config;
  private final AccessControl access;
  private final MessageStore store;
  private final RoleMachine roles;
  private final PeerService peer;
  private final BrokerMetrics metrics;
  private final Clock clock;
  private final boolean ownsMetrics;
  private final MemoryBudget memory;
  private final ConnectionRegistry connections = new ConnectionRegistry();
  private final Destinations destinations;
  private final Instant started;
  private final long startedNanos;
  private final AtomicBoolean startCalled = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<Endpoint> amqpEndpoints = new ArrayList<>();
  private volatile AmqpServer amqp;
  private AdminServer admin;
  private volatile StoreWatchdog watchdog;

  /** Creates a broker over {@code store}; nothing runs until {@link #start}. */
  public Broker(BrokerConfig config, MessageStore store) {
    this(config, store, Clock.system());
  }

  /** Creates a broker over {@code store} that reads time from {@code clock}. */
  public Broker(BrokerConfig config, MessageStore store, Clock clock) {
    this(config, store, new RoleMachine(clock), null, new BrokerMetrics(), clock, true);
    metrics.bind(this);
  }

  /**
   * Creates the serving part of a hot-warm pair member: it shares the member's role machine and
   * metrics, and its AMQP port also serves {@code peer} to the backup. Started with {@link #serve};
   * the member runs the admin endpoint.
   */
  public Broker(
      BrokerConfig config,
      MessageStore store,
      RoleMachine roles,
      PeerService peer,
      BrokerMetrics metrics) {
    this(config, store, roles, peer, metrics, Clock.system());
  }

  /**
   * As {@link #Broker(BrokerConfig, MessageStore, RoleMachine, PeerService, BrokerMetrics)}, on
   * {@code clock}.
   */
  public Broker(
      BrokerConfig config,
      MessageStore store,
      RoleMachine roles,
      PeerService peer,
      BrokerMetrics metrics,
      Clock clock) {
    this(config, store, roles, peer, metrics, clock, false);
  }

  private Broker(
      BrokerConfig config,
      MessageStore store,
      RoleMachine roles,
      PeerService peer,
      BrokerMetrics metrics,
      Clock clock,
      boolean ownsMetrics) {
    this.ownsMetrics = ownsMetrics;
    this.clock = clock;
    this.started = clock.wallTime();
    this.startedNanos = clock.nanos();
    this.config = config;
    this.store = store;
    this.roles = roles;
    this.peer = peer;
    this.metrics = metrics;
    store.observeCommits(metrics.commits());
    this.memory = new MemoryBudget(config.maxMsgMemory());
    // read here, before the store is touched, so that a bad users, groups or acl file stops the
    // start with its file and line; a pair member re-reads it when it activates
    this.access = AccessControl.load(config.security());
    this.destinations =
        new Destinations(config.server(), config.queues(), config.topics(), store, memory, clock);
  }

  /** Creates a broker that keeps messages in memory only. */
  public static Broker inMemory(BrokerConfig config) {
    return new Broker(config, new MemoryStore());
  }

  /** Opens the admin endpoint, recovers the store, opens the AMQP listeners. */
  public Broker start() {
    if (!startCalled.compareAndSet(false, true)) {
      throw new BrokerException(BrokerException.Category.ILLEGAL_STATE, "broker already started");
    }
    try {
      step(
          "admin endpoint opened",
          () -> admin = AdminServer.start(config.adminListen(), this, metrics::scrape));
    } catch (RuntimeException e) {
      closeQuietly(e);
      throw e;
    }
    return recoverAndListen("started");
  }

  /**
   * Recovers the store and opens the AMQP listeners, without an admin endpoint; then the role is
   * ACTIVE. A hot-warm pair member, which runs the admin endpoint itself, calls it to activate.
   */
  public Broker serve(String what) {
    if (!startCalled.compareAndSet(false, true)) {
      throw new BrokerException(BrokerException.Category.ILLEGAL_STATE, "broker already started");
    }
    return recoverAndListen(what);
  }

  private Broker recoverAndListen(String what) {
    long t0 = clock.nanos();
    try {
      step("store recovered", () -> destinations.recover(store.recover()));
      if (config.ft() != null) {
        store.retainRecoveredDuplicates(config.ft().reconnectTimeout());
      }
      step("amqp listeners opened", this::openListeners);
      roles.transition(Role.ACTIVE, what + " in " + (clock.nanos() - t0) / 1_000_000 + " ms");
      if (roles.role() == Role.STALLED) {
        // the store stalled while it was recovered, before there was anything to disconnect
        disconnectInBackground(roles.reason());
      }
      return this;
    } catch (RuntimeException e) {
      closeQuietly(e);
      throw e;
    }
  }

  private void openListeners() {
    Authenticator auth = Authenticator.of(access, config.security().allowPlainWithoutTls());
    AmqpServices services =
        new AmqpServices(
            config.server(),
            destinations,
            memory,
            auth,
            connections,
            config.idleTimeout(),
            config.maxFrameSize(),
            config.maxMsgSize(),
            config.maxConnections(),
            peer,
            config.limits(),
            clock);
    io.tandem.broker.tls.ServerTls tls =
        config.tls().server() == null
            ? null
            : io.tandem.broker.tls.ServerTls.create(config.tls().server());
    amqp = new AmqpServer(services, tls, config.tls().peerOverTlsOnly());
    for (Endpoint e : config.listen()) {
      amqpEndpoints.add(amqp.listen(e));
    }
  }

  private void step(String name, Runnable action) {
    long t0 = clock.nanos();
    action.run();
    LOG.info(name + " in " + (clock.nanos() - t0) / 1_000_000 + " ms");
  }

  private void closeQuietly(RuntimeException cause) {
    try {
      close();
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  /**
   * Lets {@code /health}, {@code /state} and {@code /metrics} report the store's liveness from
   * {@code storeWatchdog}, which watches this broker's store. Call before {@link #start}.
   */
  public Broker watchStore(StoreWatchdog storeWatchdog) {
    this.watchdog = storeWatchdog;
    return this;
  }

  @Override
  public StoreWatchdog storeWatchdog() {
    return watchdog;
  }

  /**
   * The store stopped answering ({@code reason} says which operation, for how long): stop serving
   * at once. The role becomes {@code STALLED} (so {@code /health} is 503), the listeners stop
   * accepting and every client connection is closed with an AMQP error, so clients fail over. The
   * store is not touched: a close would wait for the hung writer. Returns at once.
   */
  public void stopServing(String reason) {
    if (roles.transition(Role.STALLED, reason)) {
      disconnectInBackground(reason);
    }
  }

  private void disconnectInBackground(String reason) {
    Thread t = new Thread(() -> disconnect(reason), "store-stall-disconnect");
    t.setDaemon(true);
    t.start();
  }

  private void disconnect(String reason) {
    AmqpServer server = amqp;
    if (server == null) {
      return;
    }
    server.stopListening();
    connections.closeAll(new BrokerException(BrokerException.Category.STORE_IO, reason));
    // a moment for the AMQP close frames to reach the clients; then every channel is cut,
    // including the hot-warm peer link and connections still in their handshake
    long deadline = clock.nanos() + DISCONNECT_WAIT.toNanos();
    while (connections.count() > 0 && clock.nanos() - deadline < 0) {
      try {
        clock.sleep(DISCONNECT_POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    server.close();
    LOG.info("stopped serving: " + reason);
  }

  /** The bound AMQP endpoints (with real ports when configured with port 0). */
  public List<Endpoint> amqpEndpoints() {
    return List.copyOf(amqpEndpoints);
  }

  /** The bound admin endpoint. */
  public Endpoint adminEndpoint() {
    return admin.endpoint();
  }

  @Override
  public BrokerConfig config() {
    return config;
  }

  @Override
  public RoleMachine roles() {
    return roles;
  }

  @Override
  public Destinations destinations() {
    return destinations;
  }

  @Override
  public ConnectionRegistry connections() {
    return connections;
  }

  @Override
  public MemoryBudget memory() {
    return memory;
  }

  /** When this broker was created, by its clock's wall time. */
  public Instant startedAt() {
    return started;
  }

  @Override
  public Duration uptime() {
    return Duration.ofNanos(clock.nanos() - startedNanos);
  }

  @Override
  public List<Endpoint> listeners() {
    return amqpEndpoints();
  }

  @Override
  public java.util.Map<String, Object> availability() {
    return java.util.Map.of("mode", "standalone", "epoch", store.epoch());
  }

  /** Stops listeners, closes connections, flushes and closes the store; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    roles.transition(Role.STOPPING, "shutdown requested");
    RuntimeException failure = null;
    if (amqp != null) {
      step("amqp listeners closed", amqp::close);
    }
    try {
      step("store closed", store::close);
    } catch (RuntimeException e) {
      failure = e;
    }
    if (admin != null) {
      admin.close();
    }
    if (ownsMetrics) {
      metrics.close();
    }
    roles.transition(Role.STOPPED, "shutdown complete");
    if (failure != null) {
      throw failure;
    }
  }
}
