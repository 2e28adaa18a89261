package io.tandem.broker.store;

import static io.tandem.broker.store.StoreFixture.add;
import static io.tandem.broker.store.StoreFixture.adds;
import static io.tandem.broker.store.StoreFixture.await;
import static io.tandem.broker.store.StoreFixture.ids;
import static io.tandem.broker.store.StoreFixture.options;
import static io.tandem.broker.store.StoreFixture.remove;
import static io.tandem.broker.store.StoreFixture.reopen;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.BrokerException;
import io.tandem.testing.Await;
import io.tandem.testing.FakeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalStoreTest {
  @TempDir Path dir;

  @Test
  void shouldRecoverMessagesReferencesAndSubscriptions() {
    SubscriptionRecord sub =
        new SubscriptionRecord("sub:c1:s1", "c1", "s1", "prices.>", null, false, false);
    try (JournalStore s = StoreFixture.open(options(dir, 1), null)) {
      await(s.write(new StoreBatch.Builder().subscription(sub).build()));
      await(s.write(adds(add(1, true, "queue:a"), add(2, false, "queue:b"))));
      await(s.write(adds(add(3, false, "sub:c1:s1", "queue:a"))));
      await(s.write(remove("queue:a", 1, true)));
      await(s.write(remove("queue:a", 3, false)));
    }
    Recovered[] r = new Recovered[1];
    try (JournalStore s = reopen(dir, r)) {
      assertEquals(List.of(2L, 3L), ids(r[0]));
      assertEquals(List.of("sub:c1:s1"), r[0].messages().get(1).queueKeys());
      assertArrayEquals(StoreFixture.body(2, 100), r[0].messages().get(0).data());
      assertEquals(List.of(sub), r[0].subscriptions());
      assertEquals(3, r[0].lastMessageId());
      assertTrue(r[0].cleanShutdown());
      assertTrue(s.isDuplicate("queue:a", "ID:producer-1"));
      assertFalse(s.isDuplicate("queue:a", "ID:producer-99"));
    }
  }

  @Test
  void shouldDropReferencesOfDeletedSubscriptionEvenAfterItIsRecreated() {
    SubscriptionRecord sub = new SubscriptionRecord("sub:c:n", "c", "n", "t", null, false, false);
    try (JournalStore s = StoreFixture.open(options(dir, 1), null)) {
      await(s.write(new StoreBatch.Builder().subscription(sub).build()));
      await(s.write(adds(add(1, false, "sub:c:n"), add(2, true, "sub:c:n", "queue:q"))));
      await(
          s.write(
              new StoreBatch.Builder().deleteSubscription("sub:c:n").subscription(sub).build()));
      await(s.write(adds(add(3, false, "sub:c:n"))));
    }
    Recovered[] r = new Recovered[1];
    try (JournalStore s = reopen(dir, r)) {
      assertEquals(JournalStore.State.SERVING, s.state());
      assertEquals(List.of(2L, 3L), ids(r[0]));
      assertEquals(List.of("queue:q"), r[0].messages().get(0).queueKeys());
      assertEquals(1, r[0].subscriptions().size());
    }
  }

  @Test
  void shouldReportUncleanShutdown() {
    JournalStore crashed = StoreFixture.open(options(dir, 1), null);
    await(crashed.write(adds(add(1, true, "queue:a"))));
    Recovered[] r = new Recovered[1];
    try (JournalStore s = reopen(dir, r)) {
      assertEquals(JournalStore.State.SERVING, s.state());
      assertFalse(r[0].cleanShutdown());
      assertEquals(List.of(1L), ids(r[0]));
    } finally {
      crashed.close();
    }
  }

  @Test
  void shouldCoverConcurrentWritesWithFewerFlushes() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    StoreFixture.Ids ids = new StoreFixture.Ids();
    try (JournalStore s = StoreFixture.open(options(dir, 1), null)) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 40; i++) {
                    await(s.write(adds(add(ids.next(), true, "queue:g"))));
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      JournalStore.CommitCounters counters = s.commitCounters();
      assertTrue(
          counters.flushes() < counters.batches(),
          "flushes "
              + counters.flushes()
              + " should cover several of the "
              + counters.batches()
              + " batches");
    } finally {
      pool.shutdownNow();
    }
    Recovered[] r = new Recovered[1];
    try (JournalStore s = reopen(dir, r)) {
      assertEquals(JournalStore.State.SERVING, s.state());
      assertEquals(640, r[0].messages().size());
    }
  }

  @Test
  void shouldApplyATransactionSpanningJournalsWhole() {
    try (JournalStore s = StoreFixture.open(options(dir, 1), null)) {
      await(s.write(adds(add(1, true, "queue:f"), add(2, false, "queue:n"))));
      StoreBatch tx =
          new StoreBatch.Builder()
              .add(add(3, true, "queue:f"))
              .add(add(4, false, "queue:n"))
              .remove(new StoreBatch.Remove("queue:f", 1, true))
              .remove(new StoreBatch.Remove("queue:n", 2, false))
              .build();
      await(s.write(tx));
    }
    Recovered[] r = new Recovered[1];
    try (JournalStore s = reopen(dir, r)) {
      assertEquals(JournalStore.State.SERVING, s.state());
      assertEquals(List.of(3L, 4L), ids(r[0]));
    }
  }

  @Test
  void shouldRefuseWritesAfterClose() {
    JournalStore s = StoreFixture.open(options(dir, 1), null);
    s.close();
    s.close();
    CompletableFuture<Void> f = s.write(adds(add(1, true, "queue:a")));
    BrokerException e = (BrokerException) assertThrows(Exception.class, f::join).getCause();
    assertEquals(BrokerException.Category.STORE_CLOSED, e.category());
  }

  @Test
  void shouldRefuseAnEpochOlderThanTheFence() throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("fence"), "7\n");
    BrokerException e =
        assertThrows(BrokerException.class, () -> JournalStore.open(options(dir, 6)));
    assertEquals(BrokerException.Category.FENCED, e.category());
    assertEquals(7, Stores.fence(dir));
  }

  @Test
  void shouldNotStoreTheSameProducerMessageTwiceAcrossRestarts() {
    try (JournalStore s = StoreFixture.open(options(dir, 1), null)) {
      await(s.write(adds(add(1, false, "queue:d"))));
    }
    try (JournalStore s = reopen(dir, null)) {
      assertTrue(s.isDuplicate("queue:d", "ID:producer-1"));
      assertFalse(s.isDuplicate("queue:other", "ID:producer-1"));
    }
  }

  @Test
  void shouldFlushAsyncWritesWhenTheIntervalPassesAndNotBefore() throws InterruptedException {
    FakeClock clock = new FakeClock();
    try (JournalStore s = StoreFixture.open(options(dir, 1).withClock(clock), null)) {
      await(s.write(adds(add(1, false, "queue:n"))));
      clock.awaitWaiting(1, StoreFixture.WAIT);
      clock.advance(StoreOptions.DEFAULT_ASYNC_FLUSH.minusMillis(1));
      assertTrue(s.async.dirty, "flushed before store_async_flush passed");
      clock.advance(Duration.ofMillis(1));
      Await.until("async journal flushed", StoreFixture.WAIT, () -> !s.async.dirty);
    }
  }

  @Test
  void shouldFlushAsyncWritesWithinTheIntervalWhenTheWallClockStepsBack() {
    // every reading of the wall clock is an hour earlier than the one before
    java.util.concurrent.atomic.AtomicLong wall = new java.util.concurrent.atomic.AtomicLong();
    SteppingWallClock stepping =
        new SteppingWallClock(
            () -> java.time.Instant.ofEpochMilli(1_700_000_000_000L + wall.addAndGet(-3_600_000)));
    StoreOptions o = options(dir, 1).withClock(stepping);
    try (JournalStore s = StoreFixture.open(o, null)) {
      await(s.write(adds(add(1, false, "queue:n"))));
      Await.until("async journal flushed", StoreFixture.WAIT, () -> !s.async.dirty);
    }
  }

  @Test
  void shouldStoreAndRecoverAMessageLargerThanASegment() {
    byte[] data = new byte[5 * (int) StoreOptions.MIN_SEGMENT];
    java.util.Arrays.fill(data, (byte) 7);
    try (JournalStore s = StoreFixture.open(options(dir, 1), null)) {
      await(s.write(adds(new StoreBatch.Add(1, data, 0, List.of("queue:big"), true))));
      await(s.write(adds(add(2, true, "queue:a"))));
    }
    Recovered[] r = new Recovered[1];
    try (JournalStore s = reopen(dir, r)) {
      assertEquals(List.of(1L, 2L), ids(r[0]));
      assertArrayEquals(data, r[0].messages().get(0).data());
      assertEquals(JournalStore.State.SERVING, s.state());
    }
  }

  @Test
  void shouldRefuseABatchRecoveryCouldNotReadAndKeepServing() {
    // four messages sharing one array: more than the store takes in one batch, little heap
    byte[] quarter = new byte[(int) (StoreOptions.MAX_BATCH_BYTES / 4) + 1];
    StoreBatch.Builder b = new StoreBatch.Builder();
    for (long id = 1; id <= 4; id++) {
      b.add(new StoreBatch.Add(id, quarter, 0, List.of("queue:big"), true));
    }
    try (JournalStore s = StoreFixture.open(options(dir, 1), null)) {
      CompletableFuture<Void> f = s.write(b.build());
      BrokerException e = (BrokerException) assertThrows(Exception.class, f::join).getCause();
      assertEquals(BrokerException.Category.RESOURCE_LIMIT, e.category());
      assertTrue(e.getMessage().contains("larger than the store accepts"), e.getMessage());
      assertEquals(JournalStore.State.SERVING, s.state());
      await(s.write(adds(add(5, true, "queue:a"))));
    }
    Recovered[] r = new Recovered[1];
    try (JournalStore s = reopen(dir, r)) {
      assertEquals(List.of(5L), ids(r[0]));
      assertEquals(JournalStore.State.SERVING, s.state());
    }
  }

  @Test
  void shouldOpenAStoreWithASegmentTooLargeToReadOnlyWithForceStart() throws Exception {
    try (JournalStore s = StoreFixture.open(options(dir, 1), null)) {
      await(s.write(adds(add(1, true, "queue:a"))));
    }
    Path huge = dir.resolve(Journal.SYNC).resolve(Segment.name(1, 999));
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
      f.setLength(SegmentScan.MAX_SEGMENT + 1); // sparse: no disk space used
    }
    BrokerException e = assertThrows(BrokerException.class, () -> reopen(dir, null));
    assertEquals(BrokerException.Category.STORE_CORRUPT, e.category());
    assertTrue(e.getMessage().contains("--force-start"), e.getMessage());

    Recovered[] r = new Recovered[1];
    StoreOptions forced = options(dir, Stores.fence(dir) + 1).withForceStart(true);
    try (JournalStore s = StoreFixture.open(forced, r)) {
      assertEquals(List.of(1L), ids(r[0]));
      assertEquals(JournalStore.State.SERVING, s.state());
      Await.until("unreadable segment removed", StoreFixture.WAIT, () -> !Files.exists(huge));
    }
    try (JournalStore s = reopen(dir, r)) {
      assertEquals(List.of(1L), ids(r[0]));
      assertEquals(JournalStore.State.SERVING, s.state());
    }
  }
}
