package io.tandem.bench.scenario;

import io.tandem.bench.BenchException;
import io.tandem.bench.broker.BrokerKind;
import io.tandem.bench.broker.BrokerProcess;
import io.tandem.bench.broker.Brokers;
import io.tandem.bench.broker.Launch;
import io.tandem.bench.broker.Launch.PairRole;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 10: a fault-tolerant pair on one store (Tandem: {@code ft_active} pair; Artemis:
 * shared-store primary and backup). One PERSISTENT message is stored through the active broker; a
 * client connected with a failover URL over both waits; the active broker gets SIGKILL; the figure
 * is the time from the kill to that client consuming the message from the survivor. Then the same
 * on a fresh pair whose store holds a backlog of PERSISTENT 1 KB messages ({@code
 * --failover-backlog}), killed once Tandem's backup has followed all of them (an Artemis
 * shared-store backup reads the journal only when it activates), to show whether the takeover grows
 * with the backlog.
 */
final class FailoverScenario implements Scenario {
  private static final Duration STANDBY_LIMIT = Duration.ofMinutes(1);
  private static final Duration FILL_LIMIT = Duration.ofMinutes(5);
  private static final String QUEUE = "bench.failover";

  @Override
  public int number() {
    return 10;
  }

  @Override
  public String name() {
    return "failover";
  }

  @Override
  public String title() {
    return "SIGKILL of the active broker to first message consumed";
  }

  @Override
  public List<Metric> metrics() {
    return List.of(
        new Metric("failover", "kill to first message consumed", "ms", false),
        new Metric(
            "failover-backlog",
            "the same with the backlog (--failover-backlog) in the store",
            "ms",
            false));
  }

  @Override
  public int reps(Settings settings) {
    return settings.failoverRuns();
  }

  @Override
  public Map<String, Double> run(BrokerKind kind, int rep, Lab lab) {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("failover", failover(kind, lab, "one", 0));
    out.put("failover-backlog", failover(kind, lab, "backlog", lab.settings().failoverBacklog()));
    return out;
  }

  /** Milliseconds from the kill to the first message consumed, {@code backlog} messages stored. */
  private double failover(BrokerKind kind, Lab lab, String what, int backlog) {
    Path dir = lab.newDir(name() + "-" + what, kind);
    Path store = dir.resolve("store");
    try {
      // A pair's store is a shared volume that exists before either broker starts.
      java.nio.file.Files.createDirectories(store);
    } catch (java.io.IOException e) {
      throw new BenchException(BenchException.Category.FAILED, "cannot create " + store, e);
    }
    int portA = Brokers.freePort();
    int portB = Brokers.freePort();
    Launch a = new Launch(kind, dir.resolve("a"), store, portA, PairRole.PRIMARY, portB);
    Launch b = new Launch(kind, dir.resolve("b"), store, portB, PairRole.BACKUP, portA);
    try (BrokerProcess active = lab.brokers().spawn(a)) {
      awaitServing(active);
      try (BrokerProcess standby = lab.brokers().spawn(b)) {
        standby.awaitStandby(STANDBY_LIMIT);
        if (backlog > 0) {
          Fill.queues(active.amqpUrl(), List.of(QUEUE), backlog, FILL_LIMIT);
          standby.awaitFollowed(backlog, FILL_LIMIT);
        } else {
          storeOne(active.amqpUrl());
        }
        return killAndConsume(active, standby) / 1e6;
      }
    } finally {
      Lab.delete(store);
    }
  }

  private static void awaitServing(BrokerProcess b) {
    try {
      b.awaitAccepting(Lab.START_LIMIT);
    } catch (BenchException e) {
      if (b.kind() == BrokerKind.TANDEM && b.logContains("unknown key 'ft_active'")) {
        throw new BenchException(
            BenchException.Category.UNAVAILABLE,
            "hot-warm FT is not in this build: "
                + b.logTail(1)
                    .replaceFirst("^.*configuration error: \\S*/", "")
                    .replaceFirst(" \\(known keys.*", "")
                    .trim());
      }
      throw e;
    }
  }

  private static void storeOne(String url) {
    Connection c = Jms.connect(url);
    try {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer p = s.createProducer(s.createQueue(QUEUE));
      p.setDeliveryMode(DeliveryMode.PERSISTENT);
      p.send(Jms.message(s));
    } catch (JMSException e) {
      throw Jms.failed("store a message before the kill", e);
    } finally {
      Jms.close(c);
    }
  }

  /** Nanoseconds from SIGKILL of {@code active} to the message consumed through the pair. */
  private static long killAndConsume(BrokerProcess active, BrokerProcess standby) {
    Connection c = Jms.connect(Jms.failoverUrl(active.amqpUrl(), standby.amqpUrl()));
    try {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      long t0 = System.nanoTime();
      active.kill();
      var consumer = s.createConsumer(s.createQueue(QUEUE));
      if (consumer.receive(Lab.START_LIMIT.toMillis()) == null) {
        throw new BenchException(
            BenchException.Category.FAILED,
            "no message after failover; survivor log " + standby.log());
      }
      return System.nanoTime() - t0;
    } catch (JMSException e) {
      throw Jms.failed("consume after failover", e);
    } finally {
      Jms.close(c);
    }
  }
}
