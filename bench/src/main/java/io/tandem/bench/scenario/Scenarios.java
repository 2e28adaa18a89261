package io.tandem.bench.scenario;

import java.util.List;

/** Every scenario, in the order. */
public final class Scenarios {
  private Scenarios() {}

  /** New instances (scenarios keep state between repetitions). */
  public static List<Scenario> all() {
    return List.of(
        new SyncSendScenario(1, 1),
        new SyncSendScenario(2, 32),
        new TransactedScenario(),
        new NonPersistentScenario(),
        new DrainScenario(),
        new LatencyScenario(),
        new FanoutScenario(),
        new RestartScenario(),
        new StartupScenario(),
        new FailoverScenario());
  }
}
