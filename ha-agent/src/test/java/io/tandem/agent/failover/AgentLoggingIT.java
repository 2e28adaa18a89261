package io.tandem.agent.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/*
 * Runs bin/ha-agent as operators do, with a real ZooKeeper, and reads its log: the lock manager's
 * and Curator's SLF4J lines reach the agent's one log pipeline, in the broker's line format, with
 * ZooKeeper's INFO noise quiet unless log_levels lets it in.
 */
class AgentLoggingIT {
  private static final Duration START = Duration.ofSeconds(60);
  // time (UTC), level padded to 7, the logger's simple name, the message
  private static final Pattern LINE =
      Pattern.compile(
          "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"
              + " (SEVERE |WARNING|INFO   |CONFIG |FINE   |FINER  |FINEST ) [A-Za-z0-9_$]+: .*");

  private Path root(String name) throws Exception {
    Path root = Path.of("target", "it", name).toAbsolutePath();
    if (Files.exists(root)) {
      try (var files = Files.walk(root)) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
    return Files.createDirectories(root);
  }

  private String runUntilActiveAndStop(String name, Map<String, String> settings) throws Exception {
    Path root = root(name);
    Path store = Files.createDirectories(root.resolve("store"));
    try (TestingServer zk = new TestingServer(true);
        Host alpha =
            Host.create(root, "alpha", zk.getConnectString(), "/tandem-it/" + name, store, settings)
                .start()) {
      alpha.awaitState("ACTIVE", START);
      Processes.signal("TERM", alpha.agentPid());
      Await.until(
          "the agent stops after SIGTERM (log " + alpha.log + ")",
          START,
          () -> !alpha.agentAlive());
      String out = alpha.agentLog();
      assertEquals(0, alpha.agentExit().orElseThrow(), out);
      return out;
    }
  }

  @Test
  void shouldLogTheLockManagersAndAgentsLinesInTheOneFormat() throws Exception {
    String out = runUntilActiveAndStop("logging", Map.of());

    assertFalse(out.contains("SLF4J"), "no SLF4J provider warning: " + out);
    List<String> lock = lines(out, "ZooKeeperFencedLock: ");
    assertTrue(
        lock.stream().anyMatch(l -> l.contains(": acquired with epoch 1 ")),
        "the lock manager's SLF4J line: " + out);
    List<String> election = lines(out, "AgentStateMachine: state ");
    assertTrue(
        election.stream().anyMatch(l -> l.contains(" -> ACTIVE: ")),
        "the agent's election lines: " + out);
    for (String line : concat(lock, election)) {
      assertTrue(LINE.matcher(line).matches(), "in the one format: " + line);
    }
    assertFalse(out.contains("INFO    ClientCnxn"), "ZooKeeper's INFO noise is quiet: " + out);
  }

  @Test
  void shouldLetZooKeepersInfoLinesInWhenLogLevelsSaySo() throws Exception {
    String out = runUntilActiveAndStop("levels", Map.of("log_levels", "org.apache.zookeeper=INFO"));

    List<String> zooKeeper = lines(out, "INFO    ClientCnxn: ");
    assertFalse(zooKeeper.isEmpty(), "ZooKeeper's INFO lines: " + out);
    assertTrue(LINE.matcher(zooKeeper.get(0)).matches(), zooKeeper.get(0));
  }

  private static List<String> lines(String log, String containing) {
    return log.lines().filter(l -> l.contains(containing)).toList();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
