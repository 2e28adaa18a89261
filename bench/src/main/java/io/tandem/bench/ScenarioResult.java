package io.tandem.bench;

import io.tandem.bench.broker.BrokerKind;
import io.tandem.bench.scenario.Metric;
import io.tandem.bench.scenario.Scenario;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Everything one scenario produced on both brokers. */
final class ScenarioResult {
  final Scenario scenario;
  final Map<BrokerKind, List<Map<String, Double>>> reps = new EnumMap<>(BrokerKind.class);
  final Map<BrokerKind, String> unavailable = new EnumMap<>(BrokerKind.class);
  final Map<BrokerKind, List<String>> errors = new EnumMap<>(BrokerKind.class);
  double[] loadBefore;
  double[] loadAfter;
  double seconds;

  ScenarioResult(Scenario scenario) {
    this.scenario = scenario;
    for (BrokerKind k : BrokerKind.values()) {
      reps.put(k, new ArrayList<>());
      errors.put(k, new ArrayList<>());
    }
  }

  /** The figure's values over the repetitions that produced it. */
  List<Double> values(BrokerKind kind, Metric metric) {
    List<Double> out = new ArrayList<>();
    for (Map<String, Double> rep : reps.get(kind)) {
      Double v = rep.get(metric.key());
      if (v != null) {
        out.add(v);
      }
    }
    return out;
  }

  /** Statistics, or null when no repetition produced the figure. */
  Stats stats(BrokerKind kind, Metric metric) {
    List<Double> v = values(kind, metric);
    return v.isEmpty() ? null : Stats.of(v);
  }

  /** Why the broker has no figure: unavailable, or its errors. */
  String missingReason(BrokerKind kind) {
    if (unavailable.containsKey(kind)) {
      return "unavailable: " + unavailable.get(kind);
    }
    List<String> e = errors.get(kind);
    return e.isEmpty() ? "no value" : "failed: " + e.get(0);
  }
}
