package io.tandem.bench.scenario;

import io.tandem.bench.BenchException;
import io.tandem.bench.broker.BrokerProcess;
import io.tandem.bench.cost.ProcessMeter;
import java.util.List;
import java.util.Map;

/**
 * What one measured window cost: the broker's CPU time and heap allocation and the bench client's
 * own CPU time, each per message the window's throughput figure counts, and how much of the
 * broker's CPU its JIT compiler took. Figures are keyed by the window's name: {@code NAME_cpu},
 * {@code NAME_jit_cpu}, {@code NAME_client_cpu}, {@code NAME_alloc}, {@code NAME_alloc_msg}.
 */
final class CostSpan {
  private final ProcessMeter broker;
  private final ProcessMeter client;
  private Thread edges;
  private ProcessMeter.Cost brokerCost;
  private ProcessMeter.Cost clientCost;
  private RuntimeException failure;

  private CostSpan(BrokerProcess b) {
    this.broker = ProcessMeter.of(b.pid());
    this.client = ProcessMeter.cpuOf(ProcessHandle.current().pid());
  }

  /** The five figures of a window, in table order. */
  static List<Metric> metrics(String window, String perWhat, String which) {
    String of = which.isEmpty() ? "" : ", " + which;
    return List.of(
        new Metric(window + "_cpu", "broker CPU per " + perWhat + of, "µs/msg", false),
        new Metric(
            window + "_jit_cpu",
            "of which the broker's JIT compiler threads" + of,
            "µs/msg",
            false),
        new Metric(window + "_client_cpu", "bench client CPU per " + perWhat + of, "µs/msg", false),
        new Metric(window + "_alloc", "broker heap allocation" + of, "MB/s", false),
        new Metric(
            window + "_alloc_msg",
            "broker heap allocation per " + perWhat + of,
            "bytes/msg",
            false));
  }

  /** A window that begins now and ends at {@link #end}. */
  static CostSpan beginNow(BrokerProcess b) {
    CostSpan s = new CostSpan(b);
    s.begin();
    return s;
  }

  /**
   * A window from {@code from} to {@code to} ({@link System#nanoTime()}), its edges taken by a
   * thread of its own so that a client blocked on the broker cannot move them; {@link #await} waits
   * for its end.
   */
  static CostSpan between(BrokerProcess b, long from, long to) {
    CostSpan s = new CostSpan(b);
    s.edges =
        new Thread(
            () -> {
              try {
                Window.sleepUntil(from);
                s.begin();
                Window.sleepUntil(to);
                s.end();
              } catch (RuntimeException e) {
                s.failure = e;
              }
            },
            "cost-edges");
    s.edges.setDaemon(true);
    s.edges.start();
    return s;
  }

  /** {@link #between} the measured part of a window. */
  static CostSpan over(BrokerProcess b, Window w) {
    return between(b, w.measureFrom(), w.end());
  }

  private void begin() {
    broker.begin();
    client.begin();
  }

  /** Ends a window begun with {@link #beginNow}. */
  void end() {
    clientCost = client.end();
    brokerCost = broker.end();
  }

  /** Waits until a window's own thread has taken its end. */
  void await() {
    try {
      edges.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchException(BenchException.Category.FAILED, "interrupted", e);
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Adds the window's figures for {@code messages} messages; none when no message counted, and no
   * allocation figures when the broker's heap could not be read.
   */
  void put(Map<String, Double> out, String window, long messages) {
    if (edges != null) {
      await();
    }
    if (messages <= 0 || brokerCost == null) {
      return;
    }
    out.put(window + "_cpu", brokerCost.cpuSeconds() * 1e6 / messages);
    out.put(window + "_jit_cpu", brokerCost.jitCpuSeconds() * 1e6 / messages);
    out.put(window + "_client_cpu", clientCost.cpuSeconds() * 1e6 / messages);
    brokerCost
        .heap()
        .ifPresent(
            bytes -> {
              out.put(window + "_alloc", bytes / (1024.0 * 1024) / brokerCost.seconds());
              out.put(window + "_alloc_msg", (double) bytes / messages);
            });
  }
}
