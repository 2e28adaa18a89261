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
 * Two agents on a three-server ensemble. N times: SIGKILL the active agent and broker, time until
 * the other broker answers /health 200, restart the killed agent. Then N times: release the
 * active agent, time until the other is ACTIVE.
 */
class TakeoverBenchmark {
  private static final Duration SESSION = Duration.ofSeconds(6);
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void measureTakeoverAndSwitchover() throws Exception {
    int runs = Integer.getInteger("tandem.bench.runs", 10);
    Path root = Path.of("target", "it", "bench").toAbsolutePath();
    Files.createDirectories(root);
    Path store = Files.createDirectories(root.resolve("store-" + System.currentTimeMillis()));
    String lockPath = "/tandem-bench/" + System.currentTimeMillis();
    Map<String, String> settings =
        Map.of("session_timeout", Long.toString(SESSION.toSeconds()), "release_holdoff", "0");
    try (Ensemble ensemble = Ensemble.start();
        Host alpha =
            Host.create(root, "alpha", ensemble.connectString(), lockPath, store, settings);
        Host beta =
            Host.create(root, "beta", ensemble.connectString(), lockPath, store, settings)) {
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
      System.out.println(report("SIGKILL of active agent+broker -> other /health 200", kills));
      System.out.println(report("release -> other ACTIVE (incl. CLI JVM start)", releases));
    }
  }

  private static String report(String what, List<Long> millis) {
    List<Long> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    return String.format(
        "BENCH %s: runs=%d session_timeout=%dms p50=%dms min=%dms max=%dms all=%s",
        what,
        sorted.size(),
        SESSION.toMillis(),
        sorted.get((sorted.size() - 1) / 2),
        sorted.get(0),
        sorted.get(sorted.size() - 1),
        millis);
  }
}
