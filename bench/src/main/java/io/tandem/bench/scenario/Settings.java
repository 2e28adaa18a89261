package io.tandem.bench.scenario;

import java.time.Duration;

/**
 * How long and how much: the full run, or the quick run that only keeps the command working.
 *
 * @param quick whether this is the quick run
 * @param reps repetitions per broker (the starting broker alternates: A B, B A)
 * @param warmup load before measuring, in every throughput and latency run
 * @param measure the measured interval
 * @param drainMessages messages filled and drained in scenario 5
 * @param restartMessages messages in the store in scenario 8
 * @param failoverRuns kills per broker in scenario 10
 * @param failoverBacklog live messages in the pair's store at scenario 10's second kill
 * @param idleSettle time an idle broker is left alone before its memory is read
 */
public record Settings(
    boolean quick,
    int reps,
    Duration warmup,
    Duration measure,
    int drainMessages,
    int restartMessages,
    int failoverRuns,
    int failoverBacklog,
    Duration idleSettle) {

  /** The full run. */
  public static Settings full(int reps) {
    return new Settings(
        false,
        reps,
        Duration.ofMillis(1500),
        Duration.ofSeconds(4),
        100_000,
        1_000_000,
        10,
        100_000,
        Duration.ofSeconds(2));
  }

  /** The same settings with scenario 10's kills per broker and its backlog set. */
  public Settings withFailover(int runs, int backlog) {
    return new Settings(
        quick, reps, warmup, measure, drainMessages, restartMessages, runs, backlog, idleSettle);
  }

  /** The quick run: every scenario on both brokers, with tiny counts and windows. */
  public static Settings quick(int reps) {
    return new Settings(
        true,
        reps,
        Duration.ofMillis(300),
        Duration.ofSeconds(1),
        2_000,
        5_000,
        1,
        2_000,
        Duration.ofMillis(500));
  }
}
