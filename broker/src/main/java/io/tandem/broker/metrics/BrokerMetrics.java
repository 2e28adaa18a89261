package io.tandem.broker.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tandem.broker.BackgroundValue;
import io.tandem.broker.Role;
import io.tandem.broker.admin.BrokerView;
import io.tandem.broker.destination.Destinations;
import io.tandem.broker.destination.QueueStats;
import io.tandem.broker.security.ScramHash;
import io.tandem.broker.store.CommitObserver;
import io.tandem.broker.store.StoreWatchdog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The process's metrics. One instance per broker process: bound once to the view the admin endpoint
 * serves, and told of every group commit by each store the process opens.
 */
public final class BrokerMetrics implements AutoCloseable {
  static final List<String> STORE_FILES = List.of("meta.db", "sync-msgs.db", "async-msgs.db");

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Timer flush;
  private final DistributionSummary groupCommit;
  private final DestinationMeters destinations = new DestinationMeters(registry);
  private volatile BrokerView view;
  private volatile BackgroundValue<Map<String, Long>> storeSizes;
  private volatile Map<String, Long> sizesForScrape = Map.of();

  /** Creates the registry with the JVM's own metrics and the store's commit meters. */
  public BrokerMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    FunctionCounter.builder(
            "tandem.password.derivations", ScramHash.class, c -> ScramHash.derivations())
        .description(
            "Password key derivations (PBKDF2) made to check SASL PLAIN logins and stored passwords")
        .register(registry);
    flush =
        Timer.builder("tandem.store.flush")
            .description("Time to flush a group commit to stable storage and re-check the fence")
            .serviceLevelObjectives(
                millis(0.25),
                millis(0.5),
                millis(1),
                millis(2),
                millis(5),
                millis(10),
                millis(20),
                millis(50),
                millis(100),
                millis(250),
                millis(1000))
            .register(registry);
    groupCommit =
        DistributionSummary.builder("tandem.store.group.commit.batches")
            .description("Batches (client writes) covered by one group commit")
            .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 1024)
            .register(registry);
  }

  private static Duration millis(double ms) {
    return Duration.ofNanos((long) (ms * 1_000_000));
  }

  /** What a store calls after each group commit. */
  public CommitObserver commits() {
    return (batches, flushNanos) -> {
      groupCommit.record(batches);
      if (flushNanos > 0) {
        flush.record(flushNanos, TimeUnit.NANOSECONDS);
      }
    };
  }

  /** Registers the broker-level meters, read from {@code broker} at each scrape. Once. */
  public synchronized void bind(BrokerView broker) {
    if (view != null) {
      throw new IllegalStateException("metrics already bound");
    }
    view = broker;
    for (Role r : Role.values()) {
      Gauge.builder("tandem.role", broker, b -> b.roles().role() == r ? 1 : 0)
          .description("1 for the broker's current role, 0 for the others")
          .tag("role", r.label())
          .register(registry);
      FunctionCounter.builder(
              "tandem.role.transitions",
              broker,
              b -> b.roles().entered().getOrDefault(r, 0L).doubleValue())
          .description("Times the broker entered the role")
          .tag("role", r.label())
          .register(registry);
    }
    FunctionCounter.builder(
            "tandem.fenced.events",
            broker,
            b -> b.roles().entered().getOrDefault(Role.FENCED, 0L).doubleValue())
        .description("Times this broker found its store fence moved or its lock lost")
        .register(registry);
    Gauge.builder("tandem.epoch", broker, b -> number(b, "epoch"))
        .description("The epoch this broker writes the store with (0 before it has one)")
        .register(registry);
    bindPair(broker);
    bindStore(broker);
    Gauge.builder(
            "tandem.connections",
            broker,
            b -> b.connections() == null ? 0 : b.connections().count())
        .description("Open client connections")
        .register(registry);
    Gauge.builder("tandem.memory.used", broker, b -> b.memory() == null ? 0 : b.memory().used())
        .description("Message bytes held in memory")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("tandem.memory.limit", broker, b -> b.memory() == null ? 0 : b.memory().limit())
        .description("max_msg_memory")
        .baseUnit("bytes")
        .register(registry);
  }

  private void bindPair(BrokerView broker) {
    Gauge.builder("tandem.ft.peer.connected", broker, b -> flag(b, "peer_connected"))
        .description("1 while the hot-warm pair's peer link is up")
        .register(registry);
    Gauge.builder(
            "tandem.ft.heartbeat.age", broker, b -> number(b, "last_heartbeat_age_ms") / 1000.0)
        .description("Time since the peer was last heard from")
        .baseUnit("seconds")
        .register(registry);
    FunctionCounter.builder("tandem.ft.activations", broker, b -> number(b, "activations"))
        .description("Times this pair member took over as primary")
        .register(registry);
    Gauge.builder(
            "tandem.ft.last.activation.duration",
            broker,
            b -> number(b, "last_activation_ms") / 1000.0)
        .description("How long the last activation took, from lock to serving")
        .baseUnit("seconds")
        .register(registry);
  }

  /**
   * Store sizes are read on a thread of their own ({@link BackgroundValue}): a scrape must answer
   * even when the store's file system hangs, showing the sizes last read.
   */
  private void bindStore(BrokerView broker) {
    storeSizes =
        new BackgroundValue<>(
            "store-size-reader",
            () -> sizes(broker.config().store()),
            Map.of(),
            Duration.ZERO,
            Duration.ofMillis(200));
    for (String file : STORE_FILES) {
      Gauge.builder("tandem.store.size", this, m -> m.cachedSize(file))
          .description("Bytes of the store's journal files (segments, preallocated)")
          .baseUnit("bytes")
          .tag("file", file)
          .register(registry);
    }
    Gauge.builder("tandem.store.stalled", broker, b -> stalled(b.storeWatchdog()))
        .description("1 once a store operation has not returned within store_io_timeout")
        .register(registry);
    Gauge.builder(
            "tandem.store.io.oldest.age",
            broker,
            b -> b.storeWatchdog() == null ? 0 : b.storeWatchdog().oldestAgeSeconds())
        .description("How long the oldest store operation still in progress has been running")
        .baseUnit("seconds")
        .register(registry);
  }

  private static double stalled(StoreWatchdog w) {
    return w != null && !w.live() ? 1 : 0;
  }

  private double cachedSize(String file) {
    return sizesForScrape.getOrDefault(file, 0L);
  }

  private static Map<String, Long> sizes(Path store) {
    Map<String, Long> out = new HashMap<>();
    for (String file : STORE_FILES) {
      out.put(file, (long) size(store.resolve(file)));
    }
    return out;
  }

  private static double size(Path journal) {
    try (Stream<Path> files = Files.list(journal)) {
      return files.mapToLong(BrokerMetrics::fileSize).sum();
    } catch (IOException e) {
      return 0;
    }
  }

  private static long fileSize(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  private static double number(BrokerView b, String key) {
    return b.availability().get(key) instanceof Number n ? n.doubleValue() : 0;
  }

  private static double flag(BrokerView b, String key) {
    return Boolean.TRUE.equals(b.availability().get(key)) ? 1 : 0;
  }

  /** The Prometheus text exposition of every meter, destinations refreshed first. */
  public String scrape() {
    BackgroundValue<Map<String, Long>> sizes = storeSizes;
    if (sizes != null) {
      sizesForScrape = sizes.get();
    }
    BrokerView v = view;
    Destinations d = v == null ? null : v.destinations();
    if (d == null) {
      destinations.update(Map.of(), Map.of());
    } else {
      Map<String, QueueStats> queues = new HashMap<>();
      for (QueueStats q : d.queueStats()) {
        queues.put(q.name(), q);
      }
      destinations.update(queues, d.topicCounters());
    }
    return registry.scrape();
  }

  /** The content type of {@link #scrape}. */
  public static String contentType() {
    return "text/plain; version=0.0.4; charset=utf-8";
  }

  /** Unregisters the GC listeners and closes the registry. Idempotent. */
  @Override
  public void close() {
    BackgroundValue<Map<String, Long>> sizes = storeSizes;
    if (sizes != null) {
      sizes.close();
    }
    gc.close();
    registry.close();
  }

  /** Every registered meter's name, for documentation checks. */
  List<String> meterNames() {
    return registry.getMeters().stream().map(Meter::getId).map(Meter.Id::getName).toList();
  }
}
