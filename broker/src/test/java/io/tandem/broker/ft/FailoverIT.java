package io.tandem.broker.ft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.cli.ExitCodes;
import io.tandem.testing.Await;
import io.tandem.testing.ClientLoad;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot-warm pairs as separate processes on one store, driven by Qpid JMS failover clients: SIGKILL
 * failovers back and forth, SIGSTOP with the file lock and with ZooKeeper, startup races, and
 * refusal to pair with a mismatched peer. Member logs stay in the temporary directory on failure.
 */
class FailoverIT {

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @AfterEach
  void stopEverything() throws Exception {
    Collections.reverse(cleanup);
    for (AutoCloseable c : cleanup) {
      c.close();
    }
  }

  private List<Member> pair(Path where, String server, String extra) throws Exception {
    List<Member> pair = Member.pair(where, server, extra);
    cleanup.addAll(pair);
    return pair;
  }

  @Test
  void shouldLoseNoAcknowledgedMessageAcrossTwentyFailoversBackAndForth() throws Exception {
    List<Member> pair = pair(dir, "ftpair", Member.FAST);
    Member primary = pair.get(0).start();
    primary.awaitPrimary();
    Member backup = pair.get(1).start();
    backup.awaitBackup();
    assertFalse(backup.amqpOpen(), "a backup refuses client connections");

    ClientLoad load = new ClientLoad(Member.failoverUri(primary, backup));
    cleanup.add(load);
    load.start("ft.orders", 3).start("plain.events", 1);
    List<Long> takeoverMs = new ArrayList<>();
    for (int round = 0; round < 20; round++) {
      long before = load.history().ackedCount();
      Await.until(
          "clients make progress before failover " + round,
          Member.START,
          () -> load.history().ackedCount() >= before + 30);
      long t0 = System.nanoTime();
      primary.kill();
      Member next = backup;
      Await.until(
          "backup " + next.name + " takes over in round " + round + "; log " + next.log,
          Member.START,
          () -> next.health() == 200);
      takeoverMs.add((System.nanoTime() - t0) / 1_000_000);
      backup = primary.start();
      primary = next;
      backup.awaitBackup();
    }
    long ackedBeforeStop = load.history().ackedCount();
    load.stopProducing();
    Await.until(
        "every acknowledged failsafe send is received (missing: "
            + load.history().missing("ft.orders").size()
            + ")",
        Member.START,
        () -> load.history().missing("ft.orders").isEmpty());
    Set<String> missing = load.history().missing("ft.orders");
    assertTrue(missing.isEmpty(), "lost acknowledged failsafe sends: " + missing);
    assertEquals(List.of(), load.history().violations());
    Collections.sort(takeoverMs);
    System.out.printf(
        "20 failovers: %d acknowledged sends, %d received; SIGKILL to backup /health 200:"
            + " p50 %d ms, max %d ms%n",
        ackedBeforeStop,
        load.history().receivedCount(),
        takeoverMs.get(takeoverMs.size() / 2),
        takeoverMs.get(takeoverMs.size() - 1));
  }

  @Test
  void shouldHandOverAtOnceWhenThePrimaryStopsOnSigterm() throws Exception {
    List<Member> pair = pair(dir, "termpair", "ft_heartbeat = 3\nft_activation = 10\n");
    Member primary = pair.get(0).start();
    primary.awaitPrimary();
    Member backup = pair.get(1).start();
    backup.awaitBackup();
    long t0 = System.nanoTime();
    assertEquals(0, primary.stop(), primary.logText());
    Await.until(
        "backup takes over after the primary released the lock",
        Duration.ofSeconds(8),
        () -> backup.health() == 200);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms < 8_000, "took over long before ft_activation (10 s) passed: " + ms + " ms");
    primary.start();
    primary.awaitBackup();
    System.out.println("SIGTERM of the primary to the backup serving: " + ms + " ms");
  }

  @Test
  void shouldNotActivateWhileAStoppedPrimaryHoldsTheFileLock() throws Exception {
    List<Member> pair = pair(dir, "stoppair", Member.FAST);
    Member primary = pair.get(0).start();
    primary.awaitPrimary();
    Member backup = pair.get(1).start();
    backup.awaitBackup();

    primary.signal("STOP");
    Await.until(
        "backup notices the silence and waits for the lock; log " + backup.log,
        Member.START,
        () -> backup.logText().contains("activation waiting: the store lock is held by"));
    long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (System.nanoTime() < until) {
      assertNotEquals(200, backup.health(), "a backup never serves without the lock");
      assertFalse(backup.amqpOpen(), "a backup keeps its client port closed");
    }
    primary.signal("CONT");
    primary.awaitPrimary();
    backup.awaitBackup();
    assertTrue(primary.alive());
  }

  @Test
  void shouldFenceAResumedPrimaryWhenTheZooKeeperLockMoved() throws Exception {
    TestingServer zk = new TestingServer(true);
    cleanup.add(zk);
    String lock =
        "ft_lock = zookeeper://" + zk.getConnectString() + "/tandem/zkpair?session_timeout=3sec\n";
    List<Member> pair = pair(dir, "zkpair", Member.FAST + lock);
    Member primary = pair.get(0).start();
    primary.awaitPrimary();
    Member backup = pair.get(1).start();
    backup.awaitBackup();

    primary.signal("STOP");
    backup.awaitPrimary();
    primary.signal("CONT");
    int status = primary.awaitExit(Member.START);
    String log = primary.logText();
    assertEquals(ExitCodes.FENCED, status, log);
    assertTrue(log.contains("FENCED: "), log);
    assertEquals(200, backup.health(), "the new primary keeps serving");
  }

  @Test
  void shouldElectExactlyOnePrimaryWhenBothStartTogether() throws Exception {
    for (int round = 0; round < 20; round++) {
      List<Member> pair = pair(dir.resolve("race" + round), "race", Member.FAST);
      Member a = pair.get(0);
      Member b = pair.get(1);
      a.start();
      b.start();
      Await.until(
          "one of the pair serves in round " + round,
          Member.START,
          () -> a.health() == 200 || b.health() == 200);
      Member primary = a.health() == 200 ? a : b;
      Member other = primary == a ? b : a;
      other.awaitBackup();
      assertEquals(200, primary.health(), "round " + round);
      assertNotEquals(200, other.health(), "round " + round + ": two primaries");
      a.kill();
      b.kill();
    }
  }

  @Test
  void shouldNeverHaveTwoPrimariesWhileThePeerLinkIsCut() throws Exception {
    List<Member> pair = pair(dir, "cutpair", Member.FAST);
    Member a = pair.get(0).start();
    a.awaitPrimary();
    Member b = pair.get(1).start();
    b.awaitBackup();

    String tag = "tandem-ft-test-" + ProcessHandle.current().pid() + "-" + a.amqpPort;
    List<List<String>> rules =
        List.of(
            List.of("-i", "lo", "-p", "tcp", "--dport", Integer.toString(a.amqpPort)),
            List.of("-i", "lo", "-p", "tcp", "--sport", Integer.toString(a.amqpPort)));
    for (List<String> rule : rules) {
      iptables("-I", rule, tag);
      cleanup.add(() -> iptables("-D", rule, tag));
    }
    List<String> timeline = new ArrayList<>();
    String last = "";
    long end = System.nanoTime() + Duration.ofSeconds(6).toNanos();
    while (System.nanoTime() < end) {
      int ha = a.health();
      int hb = b.health();
      assertFalse(ha == 200 && hb == 200, "two primaries: " + a.state() + " / " + b.state());
      String now =
          "a=" + ha + " b=" + hb + " " + field(a, "epoch") + " holder " + field(b, "lock_holder");
      if (!now.equals(last)) {
        timeline.add((System.nanoTime() - end) / 1_000_000 + 6000 + " ms: " + now);
        last = now;
      }
    }
    assertTrue(b.logText().contains("activation waiting: the store lock is held by"), b.logText());
    for (List<String> rule : rules) {
      iptables("-D", rule, tag);
    }
    b.awaitBackup();
    assertEquals(200, a.health());
    System.out.println("peer link cut for 6 s, /health and lock over time:");
    timeline.forEach(line -> System.out.println("  " + line));
  }

  private static String field(Member m, String name) {
    return m.stateTree().map(s -> name + "=" + s.get(name)).orElse(name + "=?");
  }

  /** Adds or deletes one iptables rule tagged with {@code tag}; deleting a missing rule is fine. */
  private static void iptables(String op, List<String> rule, String tag) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("iptables", op, "INPUT"));
    cmd.addAll(rule);
    cmd.addAll(List.of("-m", "comment", "--comment", tag, "-j", "DROP"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("iptables hung: " + cmd);
    }
    if (p.exitValue() != 0 && op.equals("-I")) {
      throw new AssertionError("iptables (root, package iptables) is needed: " + cmd + ": " + out);
    }
  }

  @Test
  void shouldRefuseToServeWhenThePeerServesFromAnotherStore() throws Exception {
    List<Member> pair = pair(dir, "split", Member.FAST);
    Member a = pair.get(0).start();
    a.awaitPrimary();
    Member b = pair.get(1);
    java.nio.file.Files.createDirectories(dir.resolve("elsewhere"));
    b.editConfig("store = store", "store = elsewhere");
    b.start();
    assertEquals(ExitCodes.FAILURE, b.awaitExit(Member.START), b.logText());
    assertTrue(
        b.logText().contains("serves as primary although this broker obtained the store lock"),
        b.logText());
    assertEquals(200, a.health());
  }

  @Test
  void shouldRefuseToPairWhenTheStoresDifferBehindOneZooKeeperLock() throws Exception {
    TestingServer zk = new TestingServer(true);
    cleanup.add(zk);
    String lock = "ft_lock = zookeeper://" + zk.getConnectString() + "/tandem/idpair\n";
    List<Member> pair = pair(dir, "idpair", Member.FAST + lock);
    Member a = pair.get(0).start();
    a.awaitPrimary();
    Member b = pair.get(1);
    java.nio.file.Files.createDirectories(dir.resolve("copy"));
    b.editConfig("store = store", "store = copy");
    b.start();
    Await.until(
        "the backup logs the refusal; log " + b.log,
        Member.START,
        () -> b.logText().contains("refused to pair: store identity differs"));
    String storeId =
        java.nio.file.Files.readString(dir.resolve("store").resolve("store.id")).strip();
    assertFalse(b.logText().contains(storeId), "the refusal does not tell the store id");
    assertNotEquals(200, b.health());
    assertEquals(200, a.health());
  }

  @Test
  void shouldRefuseToPairWithABrokerOfAnotherName() throws Exception {
    List<Member> pair = pair(dir, "left", Member.FAST);
    Member primary = pair.get(0).start();
    primary.awaitPrimary();
    Member stranger = pair.get(1);
    stranger.editConfig("server = left", "server = right");
    stranger.start();
    Await.until(
        "the backup logs the refusal; log " + stranger.log,
        Member.START,
        () -> stranger.logText().contains("refused to pair: server names differ"));
    assertNotEquals(200, stranger.health());
    assertTrue(primary.logText().contains("refusing to pair with"));
  }
}
