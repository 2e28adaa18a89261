package io.tandem.agent.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tandem.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/*
 * The takeover benchmark, run only by the bench profile:
 *   mvn -B -o verify -pl ha-agent -am -Pbench -DskipTests
 * Two agents on a three-server ensemble, for each session timeout (seconds, comma-separated in
 * tandem.bench.sessions, default 4 and 10) and each standby (tandem.bench.standby, default cold and
 * warm). N times: SIGKILL the active agent and broker, time
 * until the other broker answers /health 200, restart the killed agent. Then N times: release the
 * active agent, time until the other is ACTIVE. The goal is a takeover within the session timeout
 * plus 1 s at the maximum. The last lines put cold and warm side by side for each session.
 */
class TakeoverBenchmark {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void measureTakeoverAndSwitchover() throws Exception {
    int runs = Integer.getInteger("tandem.bench.runs", 10);
    Path root = Path.of("target", "it", "bench").toAbsolutePath();
    Files.createDirectories(root);
    List<String> lines = new ArrayList<>();
    List<String> sideBySide = new ArrayList<>();
    try (Ensemble ensemble = Ensemble.start()) {
      for (String seconds : System.getProperty("tandem.bench.sessions", "4,10").split(",")) {
        Duration session = Duration.ofSeconds(Long.parseLong(seconds.strip()));
        StringBuilder row = new StringBuilder("BENCH session_timeout=" + session.toMillis() + "ms");
        for (String standby : System.getProperty("tandem.bench.standby", "cold,warm").split(",")) {
          List<List<Long>> figures = measure(ensemble, root, session, runs, standby.strip());
          lines.add(
              report(
                  "SIGKILL of active agent+broker -> other /health 200",
                  session,
                  standby,
                  figures.get(0)));
          lines.add(
              report(
                  "release -> other ACTIVE (incl. CLI JVM start)",
                  session,
                  standby,
                  figures.get(1)));
          List<Long> kills = sorted(figures.get(0));
          row.append(
              String.format(
                  " | standby=%s: SIGKILL p50=%dms max=%dms max_over_session=%dms",
                  standby.strip(),
                  kills.get((kills.size() - 1) / 2),
                  kills.get(kills.size() - 1),
                  kills.get(kills.size() - 1) - session.toMillis()));
        }
        sideBySide.add(row.toString());
      }
    }
    lines.forEach(System.out::println);
    sideBySide.forEach(System.out::println);
  }

  private static List<Long> sorted(List<Long> millis) {
    List<Long> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    return sorted;
  }

  // The SIGKILL takeovers' and the releases' times, in milliseconds.
  private static List<List<Long>> measure(
      Ensemble ensemble, Path root, Duration session, int runs, String standby) throws Exception {
    String run = session.toSeconds() + "s-" + standby + "-" + System.currentTimeMillis();
    Path store = Files.createDirectories(root.resolve("store-" + run));
    Path hosts = Files.createDirectories(root.resolve("hosts-" + run));
    String lockPath = "/tandem-bench/" + run;
    Map<String, String> settings =
        Map.of(
            "session_timeout",
            Long.toString(session.toSeconds()),
            "release_holdoff",
            "0",
            "standby",
            standby);
    try (Host alpha =
            Host.create(hosts, "alpha", ensemble.connectString(), lockPath, store, settings);
        Host beta =
            Host.create(hosts, "beta", ensemble.connectString(), lockPath, store, settings)) {
      alpha.start().awaitState("ACTIVE", WAIT);
      beta.start().awaitState("WAITING", WAIT);
      List<Long> kills = new ArrayList<>();
      Host active = alpha;
      Host waiting = beta;
      for (int i = 0; i < runs; i++) {
        if ("warm".equals(standby)) {
          waiting.awaitStandbyReady(WAIT);
        }
        long start = System.nanoTime();
        active.signal("KILL", active.brokerPid());
        Host next = waiting;
        Await.until("takeover " + i, WAIT, () -> next.health() == 200);
        kills.add((System.nanoTime() - start) / 1_000_000);
        active.start().awaitState("WAITING", WAIT);
        waiting = active;
        active = next;
      }
      List<Long> releases = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        if ("warm".equals(standby)) {
          waiting.awaitStandbyReady(WAIT);
        }
        long start = System.nanoTime();
        Host.Result r = active.cli("release");
        assertEquals(0, r.status(), r.output());
        waiting.awaitState("ACTIVE", WAIT);
        releases.add((System.nanoTime() - start) / 1_000_000);
        active.awaitState("WAITING", WAIT);
        Host swap = active;
        active = waiting;
        waiting = swap;
      }
      return List.of(kills, releases);
    }
  }

  private static String report(String what, Duration session, String standby, List<Long> millis) {
    List<Long> sorted = sorted(millis);
    return String.format(
        "BENCH %s: standby=%s runs=%d session_timeout=%dms p50=%dms min=%dms max=%dms"
            + " max_over_session=%dms all=%s",
        what,
        standby,
        sorted.size(),
        session.toMillis(),
        sorted.get((sorted.size() - 1) / 2),
        sorted.get(0),
        sorted.get(sorted.size() - 1),
        sorted.get(sorted.size() - 1) - session.toMillis(),
        millis);
  }
}
