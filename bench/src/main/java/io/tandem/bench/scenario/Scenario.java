package io.tandem.bench.scenario;

import io.tandem.bench.broker.BrokerKind;
import java.util.List;
import java.util.Map;

/** One benchmark scenario. The runner calls {@link #run} once per repetition and broker. */
public interface Scenario {
  /** The scenario's number in the issue and the docs (1 to 10). */
  int number();

  /** The subcommand name. */
  String name();

  /** One line saying what is measured. */
  String title();

  /** The figures {@link #run} returns, in table order. */
  List<Metric> metrics();

  /** Repetitions per broker. */
  default int reps(Settings settings) {
    return settings.reps();
  }

  /**
   * One repetition on one broker: starts what it needs, measures, stops everything it started.
   *
   * @return figures by {@link Metric#key()}; a figure may be missing from some repetitions
   */
  Map<String, Double> run(BrokerKind kind, int rep, Lab lab);

  /** Releases what the scenario kept between repetitions. */
  default void finish(Lab lab) {}
}
