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
 * tandem.bench.sessions, default 4 and 10). N times: SIGKILL the active agent and broker, time
 * until the other broker answers /health 200, restart the killed agent. Then N times: release the
 * active agent, time until the other is ACTIVE. The goal is a takeover within the session timeout
 * plus 1 s at the maximum.
 */
class TakeoverBenchmark {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void measureTakeoverAndSwitchover() throws Exception {
    int runs = Integer.getInteger("tandem.bench.runs", 10);
    Path root = Path.of("target", "it", "bench").toAbsolutePath();
    Files.createDirectories(root);
    List<String> lines = new ArrayList<>();
    try (Ensemble ensemble = Ensemble.start()) {
      for (String seconds : System.getProperty("tandem.bench.sessions", "4,10").split(",")) {
        lines.addAll(
            measure(ensemble, root, Duration.ofSeconds(Long.parseLong(seconds.strip())), runs));
      }
    }
    lines.forEach(System.out::println);
  }

  private static List<String> measure(Ensemble ensemble, Path root, Duration session, int runs)
      throws Exception {
    String run = session.toSeconds() + "s-" + System.currentTimeMillis();
    Path store = Files.createDirectories(root.resolve("store-" + run));
    Path hosts = Files.createDirectories(root.resolve("hosts-" + run));
    String lockPath = "/tandem-bench/" + run;
    Map<String, String> settings =
        Map.of("session_timeout", Long.toString(session.toSeconds()), "release_holdoff", "0");
    try (Host alpha =
            Host.create(hosts, "alpha", ensemble.connectString(), lockPath, store, settings);
        Host beta =
            Host.create(hosts, "beta", ensemble.connectString(), lockPath, store, settings)) {
      alpha.start().awaitState("ACTIVE", WAIT);
      beta.start().awaitState("WAITING", WAIT);
      List<Long> kills = new ArrayList<>();
      Host active = alpha;
      Host standby = beta;
      for (int i = 0; i < runs; i++) {
        long start = System.nanoTime();
        active.signal("KILL", active.brokerPid());
        Host next = standby;
        Await.until("takeover " + i, WAIT, () -> next.health() == 200);
        kills.add((System.nanoTime() - start) / 1_000_000);
        active.start().awaitState("WAITING", WAIT);
        standby = active;
        active = next;
      }
      List<Long> releases = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        long start = System.nanoTime();
        Host.Result r = active.cli("release");
        assertEquals(0, r.status(), r.output());
        standby.awaitState("ACTIVE", WAIT);
        releases.add((System.nanoTime() - start) / 1_000_000);
        active.awaitState("WAITING", WAIT);
        Host swap = active;
        active = standby;
        standby = swap;
      }
      return List.of(
          report("SIGKILL of active agent+broker -> other /health 200", session, kills),
          report("release -> other ACTIVE (incl. CLI JVM start)", session, releases));
    }
  }

  private static String report(String what, Duration session, List<Long> millis) {
    List<Long> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    return String.format(
        "BENCH %s: runs=%d session_timeout=%dms p50=%dms min=%dms max=%dms"
            + " max_over_session=%dms all=%s",
        what,
        sorted.size(),
        session.toMillis(),
        sorted.get((sorted.size() - 1) / 2),
        sorted.get(0),
        sorted.get(sorted.size() - 1),
        sorted.get(sorted.size() - 1) - session.toMillis(),
        millis);
  }
}
