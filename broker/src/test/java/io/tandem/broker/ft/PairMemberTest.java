package io.tandem.broker.ft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.BrokerException;
import io.tandem.broker.Role;
import io.tandem.broker.config.BrokerConfig;
import io.tandem.broker.config.ConfigLoader;
import io.tandem.broker.store.MemoryStore;
import io.tandem.testing.FakeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/*
 * One pair member against hand-written fakes: a lock the test frees, a scripted link to the
 * primary, an in-memory store, a fake clock. The member's admin endpoint and, once it serves, its
 * AMQP listener bind port 0 on loopback; no peer, no second process.
 */
class PairMemberTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration ACTIVATION = Duration.ofSeconds(10);
  private static final String NO_HEARTBEAT =
      "no heartbeat from primary at 127.0.0.1:1 for 10000 ms (ft_activation)";

  @TempDir Path dir;

  private final FakeClock clock = new FakeClock();
  private final ScriptedLink link = new ScriptedLink();
  private final List<BrokerException> exits = new CopyOnWriteArrayList<>();
  private final List<Long> opened = new CopyOnWriteArrayList<>();
  private final AtomicInteger rereads = new AtomicInteger();
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          lines.add(r.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private Path configFile;
  private FakeLock lock;
  private PairMember.StoreOpener opener =
      (config, epoch) -> {
        opened.add(epoch);
        return new MemoryStore();
      };
  private PairMember member;

  @BeforeEach
  void writeConfig() throws Exception {
    Files.createDirectories(dir.resolve("store"));
    configFile = dir.resolve("tandem.conf");
    Files.writeString(
        configFile,
        "server = tandem\nlisten = amqp://127.0.0.1:0\nadmin_listen = http://127.0.0.1:0\n"
            + "store = store\nstore_minimum = 1MB\nft_active = amqp://127.0.0.1:1\n"
            + "ft_heartbeat = 3\nft_activation = 10\n");
    for (String name : List.of(PairMember.class.getName(), "io.tandem.broker.RoleMachine")) {
      Logger.getLogger(name).addHandler(capture);
    }
  }

  @AfterEach
  void closeMember() {
    if (member != null) {
      member.close();
    }
    for (String name : List.of(PairMember.class.getName(), "io.tandem.broker.RoleMachine")) {
      Logger.getLogger(name).removeHandler(capture);
    }
  }

  private PairMember start(boolean lockFree) {
    lock = new FakeLock(clock, lockFree);
    BrokerConfig config = ConfigLoader.load(configFile);
    member =
        PairMember.start(
            new PairMember.Parts(
                configFile,
                config,
                lock,
                link,
                new PeerStatus(clock::nanos),
                (c, epoch) -> opener.open(c, epoch),
                file -> {
                  rereads.incrementAndGet();
                  return ConfigLoader.load(file);
                },
                clock,
                exits::add,
                null,
                null));
    return member;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }

  private void awaitRole(Role role) throws InterruptedException {
    await("role " + role + ", now " + member.roles().role(), () -> member.roles().role() == role);
  }

  // Lets the member's wait for the lock (ft_activation long) pass without the lock coming free.
  private void letTheLockWaitTimeOut() throws InterruptedException {
    clock.awaitWaiting(1, WAIT);
    clock.advance(ACTIVATION);
  }

  @Test
  void shouldNeverActivateWithoutTheLock() throws Exception {
    link.offer(new ScriptedLink.Session(3, new PrimaryLink.Outcome(true, NO_HEARTBEAT), false));
    start(false);
    letTheLockWaitTimeOut();
    await("the waiting line", () -> lines.stream().anyMatch(l -> l.startsWith("activation wait")));

    assertEquals(Role.ACTIVATING, member.roles().role());
    assertTrue(opened.isEmpty(), "the store is not opened without the lock");
    assertEquals(0, rereads.get());
    String waiting =
        lines.stream().filter(l -> l.startsWith("activation waiting")).findFirst().orElseThrow();
    assertTrue(waiting.startsWith("activation waiting: the store lock is held by "), waiting);
    assertFalse(waiting.contains("held by held by"), waiting);
    assertFalse(waiting.contains(";latest"), "the lock's lines joined with '; ': " + waiting);
    assertTrue(
        waiting.endsWith(
            "; the primary may be alive but unreachable ("
                + NO_HEARTBEAT
                + "); never activating without the lock"),
        waiting);

    lock.free();
    link.offer(
        new ScriptedLink.Session(
            -1, new PrimaryLink.Outcome(false, "cannot reach primary"), false));
    awaitRole(Role.ACTIVE);
    assertEquals(List.of(1L), opened, "activated once the lock was obtained, at its epoch");
    assertTrue(exits.isEmpty(), exits.toString());
  }

  @Test
  void shouldRefuseToServeWhenThePeerAnswersAsPrimary() throws Exception {
    link.peerServes = true;
    start(true);
    await("the process to end", () -> !exits.isEmpty());

    BrokerException e = exits.get(0);
    assertEquals(BrokerException.Category.ILLEGAL_STATE, e.category());
    assertTrue(e.getMessage().contains("serves as primary"), e.getMessage());
    assertTrue(e.getMessage().endsWith("refusing to serve"), e.getMessage());
    assertTrue(lock.granted.get(0).closed.get(), "the lock is given back");
    assertTrue(opened.isEmpty(), "the store is not opened");
    assertFalse(member.roles().role() == Role.ACTIVE);
  }

  @Test
  void shouldEndTheProcessWhenTheLeaseTurnsSuspect() throws Exception {
    start(true);
    awaitRole(Role.ACTIVE);

    lock.granted.get(0).suspect("ZooKeeper connection SUSPENDED");

    assertEquals(1, exits.size(), "the process is ended at once, on the lease's thread");
    BrokerException e = exits.get(0);
    assertEquals(BrokerException.Category.FENCED, e.category());
    assertEquals(
        "lost the store lock (fake lock: ZooKeeper connection SUSPENDED) at epoch 1; another"
            + " broker may take over, so this one stops serving now",
        e.getMessage());
  }

  @Test
  void shouldStopWithoutServingAndGiveTheLockUpWhenClosedDuringActivation() throws Exception {
    CountDownLatch opening = new CountDownLatch(1);
    opener =
        (config, epoch) -> {
          opening.countDown();
          try {
            new CountDownLatch(1).await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          throw new BrokerException(BrokerException.Category.STORE_CLOSED, "interrupted");
        };
    start(true);
    assertTrue(opening.await(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
    assertEquals(Role.ACTIVATING, member.roles().role());

    member.close();

    assertEquals(Role.STOPPED, member.roles().role());
    assertTrue(exits.isEmpty(), "a close is no failure: " + exits);
    assertTrue(lock.granted.get(0).closed.get(), "the lease is given up");
    assertTrue(lock.closed.get(), "the lock is closed");
    assertTrue(member.listeners().isEmpty(), "nothing serves");
  }

  @Test
  void shouldGoBackToBackupWhenAPrimaryPairsAgainDuringActivation() throws Exception {
    link.offer(new ScriptedLink.Session(3, new PrimaryLink.Outcome(true, NO_HEARTBEAT), false));
    start(false);
    letTheLockWaitTimeOut();
    link.offer(new ScriptedLink.Session(4, new PrimaryLink.Outcome(true, "closing"), true));

    await(
        "the second pairing",
        () -> member.roles().reason().equals("paired with primary at epoch 4"));
    assertEquals(Role.BACKUP, member.roles().role());
    assertEquals(2L, member.roles().entered().get(Role.BACKUP));
    assertEquals(1L, member.roles().entered().get(Role.ACTIVATING));
    assertTrue(opened.isEmpty());
    assertTrue(
        lines.contains("role activating -> backup: paired with primary at epoch 4"),
        lines.toString());
  }

  @Test
  void shouldLogEachActivationStep() throws Exception {
    start(true);
    awaitRole(Role.ACTIVE);

    List<String> steps =
        lines.stream().filter(l -> l.startsWith("activation") || l.startsWith("role ")).toList();
    assertEquals(6, steps.size(), steps.toString());
    assertEquals("role starting -> activating: obtained the store lock at startup", steps.get(0));
    assertEquals(
        "activation: store lock obtained (fake lock, lock epoch 1, fence 0); this broker's epoch"
            + " is 1",
        steps.get(1));
    assertTrue(steps.get(2).matches("activation: configuration re-read in \\d+ ms"), steps.get(2));
    assertTrue(
        steps.get(3).matches("activation: fence raised to epoch 1 in \\d+ ms"), steps.get(3));
    assertTrue(
        steps
            .get(4)
            .matches(
                "role activating -> active: activated \\(obtained the store lock at startup\\) in"
                    + " \\d+ ms"),
        steps.get(4));
    assertTrue(
        steps.get(5).matches("activation complete in \\d+ ms; serving as primary at epoch 1"),
        steps.get(5));
    assertEquals(1, rereads.get(), "the configuration is read again once");
    assertEquals(1L, member.availability().get("activations"));
    assertEquals(1L, member.availability().get("epoch"));
  }
}
