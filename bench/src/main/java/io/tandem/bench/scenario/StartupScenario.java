package io.tandem.bench.scenario;

import io.tandem.bench.broker.BrokerKind;
import io.tandem.bench.broker.BrokerProcess;
import io.tandem.bench.broker.Brokers;
import io.tandem.bench.broker.Launch;
import jakarta.jms.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 9: an empty broker from JVM spawn to its AMQP port accepting connections (both brokers
 * open it only when ready to serve; a client connection then checks it serves), then its resident
 * memory once it has been idle for a moment. The memory under load is scenario 2's second figure.
 */
final class StartupScenario implements Scenario {
  @Override
  public int number() {
    return 9;
  }

  @Override
  public String name() {
    return "startup";
  }

  @Override
  public String title() {
    return "startup of an empty broker; idle memory";
  }

  @Override
  public List<Metric> metrics() {
    return List.of(
        new Metric("startup", "spawn to accepting AMQP connections", "ms", false),
        new Metric("rss", "idle RSS", "MB", false));
  }

  @Override
  public Map<String, Double> run(BrokerKind kind, int rep, Lab lab) {
    BrokerProcess b =
        lab.brokers().spawn(Launch.single(kind, lab.newDir(name(), kind), Brokers.freePort()));
    try {
      long startup = b.awaitAccepting(Lab.START_LIMIT);
      Connection c = Jms.connect(b.amqpUrl());
      Jms.close(c);
      Window.sleepUntil(System.nanoTime() + lab.settings().idleSettle().toNanos());
      Map<String, Double> out = new LinkedHashMap<>();
      out.put("startup", startup / 1e6);
      out.put("rss", b.rssBytes() / (1024.0 * 1024));
      return out;
    } finally {
      Lab.stop(b);
    }
  }
}
