package io.tandem.broker.store;

import static io.tandem.broker.store.StoreFixture.add;
import static io.tandem.broker.store.StoreFixture.adds;
import static io.tandem.broker.store.StoreFixture.await;
import static io.tandem.broker.store.StoreFixture.ids;
import static io.tandem.broker.store.StoreFixture.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tandem.broker.BrokerException;
import io.tandem.testing.Await;
import io.tandem.testing.FakeClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FencingTest {
  @TempDir Path dir;

  @Test
  void shouldFailTheBatchAndIgnoreItsRecordsWhenAnotherEpochTookTheStore() {
    AtomicLong fencedAt = new AtomicLong();
    JournalStore first =
        StoreFixture.open(options(dir, 1).withOnFenced((own, f) -> fencedAt.set(f)), null);
    try {
      await(first.write(adds(add(1, true, "queue:q"), add(2, false, "queue:q"))));
      Recovered[] r = new Recovered[1];
      try (JournalStore second = StoreFixture.open(options(dir, 2), r)) {
        assertEquals(List.of(1L, 2L), ids(r[0]));
        CompletableFuture<Void> late = first.write(adds(add(3, true, "queue:q")));
        BrokerException e = failure(late);
        assertEquals(BrokerException.Category.FENCED, e.category());
        Await.until("fence listener called", StoreFixture.WAIT, () -> fencedAt.get() == 2);
        assertEquals(JournalStore.State.FENCED, first.state());
        assertEquals(
            BrokerException.Category.FENCED,
            failure(first.write(adds(add(4, false, "queue:q")))).category());
        await(second.write(adds(add(10, true, "queue:q"))));
      }
      try (JournalStore third = StoreFixture.reopen(dir, r)) {
        assertEquals(List.of(1L, 2L, 10L), ids(r[0]));
        assertEquals(JournalStore.State.SERVING, third.state());
      }
    } finally {
      first.close();
    }
  }

  @Test
  void shouldStopAnIdleWriterAtTheNextFenceCheckOnItsClock() throws InterruptedException {
    FakeClock clock = new FakeClock();
    AtomicLong fencedAt = new AtomicLong();
    try (JournalStore idle =
        StoreFixture.open(
            options(dir, 1).withClock(clock).withOnFenced((own, f) -> fencedAt.set(f)), null)) {
      clock.awaitWaiting(1, StoreFixture.WAIT);
      Stores.raiseFence(dir, 2);
      clock.advance(Duration.ofMillis(Committer.FENCE_CHECK_INTERVAL_MS - 1));
      assertEquals(JournalStore.State.SERVING, idle.state(), "fence re-read before it was due");
      clock.advance(Duration.ofMillis(1));
      Await.until("idle writer fenced", StoreFixture.WAIT, () -> fencedAt.get() == 2);
      assertEquals(JournalStore.State.FENCED, idle.state());
    }
  }

  private static BrokerException failure(CompletableFuture<Void> f) {
    try {
      f.join();
    } catch (CompletionException e) {
      return (BrokerException) e.getCause();
    }
    throw new AssertionError("write should have failed");
  }

  @Test
  void shouldStopAWriterInAnotherProcessWhoseFenceMoved() throws Exception {
    Path log = dir.resolve("child.log");
    Path store = dir.resolve("store");
    Process child =
        new ProcessBuilder(
                javaExecutable(),
                "-Xmx64m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                FencedWriterChild.class.getName(),
                store.toString(),
                "1")
            .redirectError(log.toFile())
            .start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      int acked = 0;
      String line;
      while (acked < 300 && (line = out.readLine()) != null) {
        lines.add(line);
        acked += line.startsWith("acked") ? 1 : 0;
      }
      Recovered[] r = new Recovered[1];
      try (JournalStore second = StoreFixture.open(options(store, 2), r)) {
        while ((line = out.readLine()) != null) {
          lines.add(line);
        }
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "fenced writer did not exit");
        assertEquals(3, child.exitValue(), "exit status; child log: " + Files.readString(log));
        check(lines, new HashSet<>(ids(r[0])));
        assertEquals(JournalStore.State.SERVING, second.state());
      }
      Recovered[] after = new Recovered[1];
      try (JournalStore third = StoreFixture.reopen(store, after)) {
        assertEquals(ids(r[0]), ids(after[0]), "records written after the fence moved appeared");
        assertEquals(JournalStore.State.SERVING, third.state());
      }
    } finally {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static void check(List<String> lines, Set<Long> recovered) {
    Set<Long> acked = new HashSet<>();
    int failed = 0;
    for (String l : lines) {
      String[] w = l.split(" ");
      if (w[0].equals("acked")) {
        acked.add(Long.parseLong(w[1]));
      } else if (w[0].equals("failed")) {
        assertEquals("FENCED", w[2], l);
        failed++;
      }
    }
    assertTrue(lines.contains("fenced"), "child never reported being fenced: " + lines.size());
    assertTrue(failed > 0, "no send failed after the fence moved");
    for (Long id : acked) {
      if (!recovered.contains(id)) {
        fail("acknowledged message " + id + " lost");
      }
    }
    assertFalse(acked.isEmpty());
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
