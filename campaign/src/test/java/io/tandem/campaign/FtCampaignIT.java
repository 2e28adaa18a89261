package io.tandem.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The short fault campaigns against a hot-warm pair on namespace hosts, on the file lock and on the
 * ZooKeeper lock: 12 faults unless {@code -Dcampaign.faults=N}, a new seed each run unless {@code
 * -Dcampaign.seed=S} replays one. The seed, the nemesis's timeline, the brokers' logs, the client
 * history and the role samples stay in {@code campaign/target/campaign-LOCK-SEED} when it fails.
 */
class FtCampaignIT {
  private static final Path HOME = Path.of("").toAbsolutePath().getParent();

  @Test
  @Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
  void shouldLoseNothingAcknowledgedAndNeverHaveTwoPrimariesUnderRandomFaults() throws Exception {
    campaign("file", false);
  }

  /** The same pair on the ZooKeeper lock: three hosts, a ZooKeeper node on each. */
  @Test
  @Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
  void shouldLoseNothingAcknowledgedAndNeverHaveTwoPrimariesOnTheZooKeeperLock() throws Exception {
    campaign("zookeeper", true);
  }

  private static void campaign(String name, boolean zookeeper) throws Exception {
    String why = Hosts.unavailableReason();
    assumeTrue(why == null, () -> "fault campaign skipped: " + why);
    assertTrue(Files.isExecutable(HOME.resolve("bin/tandem")), "no bin/tandem under " + HOME);
    long seed = Long.getLong("campaign.seed", System.currentTimeMillis());
    int faults = Integer.getInteger("campaign.faults", 12);
    Path dir = HOME.resolve("campaign/target/campaign-" + name + "-" + seed);
    System.out.println("fault campaign seed " + seed + " (replay: -Dcampaign.seed=" + seed + ")");
    Report r =
        Campaign.run(
            new Campaign.Settings(
                HOME, dir, faults, seed, Duration.ofMinutes(6), List.of(), System.out, zookeeper));
    System.out.print(r.table());
    r.exits().forEach(e -> System.out.println("exited: " + e));
    List<String> problems = r.problems();
    assertEquals(
        List.of(),
        problems,
        "campaign seed " + seed + " found problems; timeline, logs and history in " + dir);
    assertTrue(r.acked() > 0, "the clients were acknowledged nothing; see " + dir);
    deleteStore(dir.resolve("store"));
  }

  private static void deleteStore(Path store) throws IOException {
    try (Stream<Path> files = Files.walk(store)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
