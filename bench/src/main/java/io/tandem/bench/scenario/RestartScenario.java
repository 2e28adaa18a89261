package io.tandem.bench.scenario;

import io.tandem.bench.BenchException;
import io.tandem.bench.broker.BrokerKind;
import io.tandem.bench.broker.BrokerProcess;
import io.tandem.bench.broker.Brokers;
import io.tandem.bench.broker.Launch;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 8: a store holding N PERSISTENT 1 KB messages (filled once per broker, then stopped
 * cleanly with SIGTERM); each repetition starts the broker on it and times JVM spawn to accepting
 * connections and to the first message consumed. Each repetition consumes one message, so the store
 * holds N - rep messages.
 */
final class RestartScenario implements Scenario {
  private static final Duration FILL_LIMIT = Duration.ofMinutes(5);
  private static final String QUEUE = "bench.restart";

  private final Map<BrokerKind, Path> filled = new EnumMap<>(BrokerKind.class);

  @Override
  public int number() {
    return 8;
  }

  @Override
  public String name() {
    return "restart";
  }

  @Override
  public String title() {
    return "restart with a full store";
  }

  @Override
  public List<Metric> metrics() {
    return List.of(
        new Metric("accept", "spawn to accepting connections", "s", false),
        new Metric("first", "spawn to first message consumed", "s", false),
        new Metric("fill", "fill, " + Fill.PRODUCERS + " async producers", "msg/s", true));
  }

  @Override
  public Map<String, Double> run(BrokerKind kind, int rep, Lab lab) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (!filled.containsKey(kind)) {
      Path dir = lab.newDir(name(), kind);
      try (BrokerProcess b = lab.startIn(kind, dir)) {
        out.put(
            "fill",
            Fill.queues(b.amqpUrl(), List.of(QUEUE), lab.settings().restartMessages(), FILL_LIMIT));
      }
      filled.put(kind, dir);
    }
    BrokerProcess b =
        lab.brokers().spawn(Launch.single(kind, filled.get(kind), Brokers.freePort()));
    try {
      out.put("accept", b.awaitAccepting(Lab.START_LIMIT) / 1e9);
      Connection c = Jms.connect(b.amqpUrl());
      try {
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        if (s.createConsumer(s.createQueue(QUEUE)).receive(Lab.START_LIMIT.toMillis()) == null) {
          throw new BenchException(
              BenchException.Category.FAILED, "no message on " + QUEUE + " after restart");
        }
        out.put("first", b.sinceSpawnNanos() / 1e9);
      } finally {
        Jms.close(c);
      }
      return out;
    } catch (JMSException e) {
      throw Jms.failed("restart of " + kind.label(), e);
    } finally {
      b.close();
    }
  }

  @Override
  public void finish(Lab lab) {
    filled.values().forEach(Lab::deleteStore);
    filled.clear();
  }
}
