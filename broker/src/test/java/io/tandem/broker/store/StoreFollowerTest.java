package io.tandem.broker.store;

import static io.tandem.broker.store.StoreFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower reads a store while a writer writes it under load (sync and async messages,
 * acknowledgements, transactions, subscriptions created and deleted, compaction of small segments),
 * and a takeover at a random moment must recover exactly what a full recovery of the same store
 * recovers.
 */
class StoreFollowerTest {
  private static final long UNBOUNDED = Long.MAX_VALUE;

  /** Small enough that segments roll and compaction deletes them within a round. */
  private static final long SEGMENT = 256 * 1024;

  @TempDir Path tmp;

  @Test
  void shouldHandOverExactlyWhatAFullRecoveryReadsAtRandomMomentsUnderLoad() throws Exception {
    long seed = Long.getLong("tandem.test.seed", System.nanoTime());
    Random random = new Random(seed);
    int tookOver = 0;
    int prebuilt = 0;
    for (int round = 0; round < 16; round++) {
      Path dir = Files.createDirectory(tmp.resolve("round-" + round));
      boolean clean = round % 3 == 0;
      // every other round the follower keeps a mirror, as a backup broker keeps its queues built
      boolean mirrored = round % 2 == 1;
      int batches = 200 + random.nextInt(1500);
      String where = "seed " + seed + ", round " + round;
      Comparison c = followAndTakeOver(dir, random, batches, clean, mirrored);
      assertEquals(c.expected(), c.actual(), where);
      tookOver += c.tookOver() ? 1 : 0;
      prebuilt += c.prebuilt() ? 1 : 0;
      // a mirror that took every change the index took matches it at the takeover
      assertEquals(mirrored && c.tookOver(), c.prebuilt(), where + ": mirror handed over");
    }
    // a round whose follower lost track (compaction deleted what it had not read) recovers in full
    assertTrue(tookOver > 0, "seed " + seed + ": no follower handed its state over");
    assertTrue(prebuilt > 0, "seed " + seed + ": no follower handed a mirror over");
  }

  @Test
  void shouldReadOnIntoEachNewSegmentWhileTheWriterRolls() throws Exception {
    Path dir = tmp.resolve("rolls");
    StoreOptions options = StoreFixture.options(dir, 1).withMinimumSize(SEGMENT);
    StoreFollower follower = StoreFollower.of(options, UNBOUNDED);
    try (JournalStore writer = StoreFixture.open(options, null)) {
      for (long id = 1; id <= 300; id++) {
        byte[] body = StoreFixture.body(id, 4000);
        await(
            writer.write(
                StoreFixture.adds(new StoreBatch.Add(id, body, 0, List.of("queue:q"), true))));
        if (id % 10 == 0) {
          assertTrue(follower.poll());
          assertEquals(id, follower.status().liveMessages(), "read on after message " + id);
        }
      }
      assertTrue(
          writer.sync.segments().size() >= 4, "the writer rolled: " + writer.sync.segments());
      assertEquals(0, follower.status().restarts());
    }
  }

  @Test
  void shouldKeepUpWithConcurrentProducersAcrossManySmallSegments() throws Exception {
    Path dir = tmp.resolve("concurrent");
    StoreOptions options = StoreFixture.options(dir, 1).withMinimumSize(StoreOptions.MIN_SEGMENT);
    StoreFollower follower = StoreFollower.of(options, UNBOUNDED);
    try (JournalStore writer = StoreFixture.open(options, null)) {
      java.util.concurrent.atomic.AtomicLong ids = new java.util.concurrent.atomic.AtomicLong();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Thread th =
            new Thread(
                () -> {
                  for (int i = 0; i < 5_000; i++) {
                    long id = ids.incrementAndGet();
                    await(
                        writer.write(
                            StoreFixture.adds(
                                new StoreBatch.Add(
                                    id,
                                    StoreFixture.body(id, 1024),
                                    0,
                                    List.of("queue:q"),
                                    true))));
                  }
                });
        th.start();
        threads.add(th);
      }
      while (threads.stream().anyMatch(Thread::isAlive)) {
        follower.poll();
        assertNull(follower.status().stoppedBecause(), follower.status().toString());
      }
      for (Thread th : threads) th.join();
      follower.poll();
      follower.poll();
      assertNull(follower.status().stoppedBecause(), follower.status().toString());
      assertEquals(20_000, follower.status().liveMessages(), follower.status().toString());
      assertEquals(0, follower.status().restarts());
    }
  }

  @Test
  void shouldTakeOverAStoreWrittenByTwoEpochsAndAFollowerThatStartedBeforeTheWriter()
      throws Exception {
    Path dir = tmp.resolve("two-epochs");
    Random random = new Random(7);
    try (JournalStore first = StoreFixture.open(StoreFixture.options(dir, 1), null)) {
      new Load(first, random).run(300, new AtomicBoolean());
    }
    StoreFollower follower = StoreFollower.of(StoreFixture.options(dir, 1), UNBOUNDED);
    assertTrue(follower.poll());
    // epoch 2 begins while the follower follows epoch 1's store: it must start over
    JournalStore second = StoreFixture.open(StoreFixture.options(dir, 2), null);
    new Load(second, random).run(300, new AtomicBoolean());
    assertTrue(follower.poll());
    assertTrue(follower.poll());
    assertTrue(follower.status().restarts() >= 1, follower.status().toString());
    State expected = State.of(fullRecovery(dir));
    MessageStore taken = Stores.open(StoreFixture.options(dir, 3), StoreIo.system(), follower);
    State actual = State.of(taken.recover());
    taken.close();
    second.close();
    assertEquals(expected, actual);
    assertTrue(follower.status().tookOver(), follower.status().toString());
  }

  @Test
  void shouldHandOverWhatItsPreparerMadeOfEachLiveMessageAndTheBytesOfWhatItCouldNotRead()
      throws Exception {
    Path dir = tmp.resolve("prepared");
    StoreFollower follower =
        StoreFollower.of(StoreFixture.options(dir, 1), UNBOUNDED)
            .preparing(
                (data, expiresAt) -> {
                  if (data.length % 7 == 0) {
                    throw new IllegalArgumentException("unreadable");
                  }
                  return data.length + "@" + expiresAt;
                });
    JournalStore writer = StoreFixture.open(StoreFixture.options(dir, 1), null);
    for (long id = 1; id <= 40; id++) {
      byte[] body = StoreFixture.body(id, 100 + (int) id);
      long expires = id % 2 == 0 ? 0 : 1_000_000 + id;
      await(
          writer.write(
              StoreFixture.adds(new StoreBatch.Add(id, body, expires, List.of("queue:q"), true))));
      if (id % 8 == 0) {
        assertTrue(follower.poll());
      }
    }
    // acknowledged after it was prepared: gone from what is handed over
    await(writer.write(StoreFixture.remove("queue:q", 3, true)));
    assertTrue(follower.poll());
    MessageStore taken = Stores.open(StoreFixture.options(dir, 2), StoreIo.system(), follower);
    Recovered recovered = taken.recover();
    writer.close();
    taken.close();
    assertTrue(follower.status().tookOver(), follower.status().toString());
    assertEquals(39, recovered.messages().size());
    for (Recovered.RecoveredMessage m : recovered.messages()) {
      int length = m.data().length;
      Object expected = length % 7 == 0 ? null : length + "@" + m.expiresAt();
      assertEquals(expected, m.prepared(), "message " + m.messageId());
      assertTrue(m.messageId() != 3);
    }
  }

  @Test
  void shouldRecoverInFullWhenItsMirrorDoesNotHoldWhatTheIndexHolds() throws Exception {
    Path dir = tmp.resolve("mirror");
    StoreOptions options = StoreFixture.options(dir, 1);
    StoreFollower follower =
        StoreFollower.of(options, UNBOUNDED)
            .preparing(Body::new)
            .mirroring(
                () ->
                    new RecordingMirror() {
                      @Override
                      public void removed(long messageId, String queueKey, Object prepared) {
                        // loses every acknowledgement: it holds more than the index
                      }
                    });
    JournalStore writer = StoreFixture.open(options, null);
    for (long id = 1; id <= 20; id++) {
      await(
          writer.write(
              StoreFixture.adds(
                  new StoreBatch.Add(
                      id, StoreFixture.body(id, 200), 0, List.of("queue:q"), true))));
    }
    await(writer.write(StoreFixture.remove("queue:q", 5, true)));
    assertTrue(follower.poll());
    Stores.raiseFence(dir, 2);
    State expected = State.of(fullRecovery(dir));
    MessageStore taken = Stores.open(options.withEpoch(2), StoreIo.system(), follower);
    Recovered recovered = taken.recover();
    taken.close();
    writer.close();
    assertNull(recovered.prebuilt(), "a mirror that does not match is not handed over");
    assertEquals(19, recovered.messages().size());
    assertEquals(expected, State.of(recovered));
  }

  @Test
  void shouldLetGoOfEverythingBeyondItsMemoryBoundAndLeaveAFullRecovery() throws Exception {
    Path dir = tmp.resolve("bounded");
    try (JournalStore writer = StoreFixture.open(StoreFixture.options(dir, 1), null)) {
      new Load(writer, new Random(3)).run(200, new AtomicBoolean());
    }
    StoreFollower follower = StoreFollower.of(StoreFixture.options(dir, 1), 1000);
    assertFalse(follower.poll());
    StoreFollower.Status status = follower.status();
    assertFalse(status.following());
    assertTrue(status.stoppedBecause().contains("exceed"), status.toString());
    State expected = State.of(fullRecovery(dir));
    MessageStore taken = Stores.open(StoreFixture.options(dir, 2), StoreIo.system(), follower);
    assertEquals(expected, State.of(taken.recover()));
    taken.close();
  }

  @Test
  void shouldSeeATransactionAcrossBothMessageJournalsAndHandItOver() throws Exception {
    Path dir = tmp.resolve("partial");
    JournalStore writer = StoreFixture.open(StoreFixture.options(dir, 1), null);
    await(writer.write(StoreFixture.adds(StoreFixture.add(1, true, "queue:a"))));
    StoreFollower follower = StoreFollower.of(StoreFixture.options(dir, 1), UNBOUNDED);
    assertTrue(follower.poll());
    assertTrue(follower.poll());
    assertEquals(1, follower.status().liveMessages());
    // a transaction across both message journals: the follower sees it whole or not at all
    await(
        writer.write(
            StoreFixture.adds(
                StoreFixture.add(2, true, "queue:a"), StoreFixture.add(3, false, "queue:b"))));
    assertTrue(follower.poll());
    assertTrue(follower.poll());
    assertEquals(3, follower.status().liveMessages());
    writer.close();
    assertNull(follower.status().stoppedBecause());
    MessageStore taken = Stores.open(StoreFixture.options(dir, 2), StoreIo.system(), follower);
    assertEquals(List.of(1L, 2L, 3L), StoreFixture.ids(taken.recover()));
    taken.close();
    assertTrue(follower.status().tookOver());
  }

  @Test
  void shouldApplyABatchOnlyOnceAllItsRecordsAreWritten() throws Exception {
    Path dir = tmp.resolve("by-hand");
    Journal sync = writing(dir, Journal.SYNC);
    Journal async = writing(dir, Journal.ASYNC);
    StoreFollower follower = StoreFollower.of(StoreFixture.options(dir, 1), UNBOUNDED);
    sync.append(addFrame(1, 1, 1));
    sync.append(addFrame(2, 2, 2));
    sync.force();
    for (int i = 0; i < 3; i++) {
      assertTrue(follower.poll());
    }
    // batch 2 has one of its two records: neither it nor anything after it is applied
    assertEquals(1, follower.status().liveMessages());
    assertEquals(1, follower.status().lastBatch());
    async.append(addFrame(3, 2, 2));
    async.force();
    assertTrue(follower.poll());
    assertEquals(3, follower.status().liveMessages());
    sync.close();
    async.close();
  }

  @Test
  void shouldStopFollowingAFileSystemThatShowsAppendsOutOfOrder() throws Exception {
    Path dir = tmp.resolve("out-of-order");
    Journal sync = writing(dir, Journal.SYNC);
    Journal async = writing(dir, Journal.ASYNC);
    StoreFollower follower = StoreFollower.of(StoreFixture.options(dir, 1), UNBOUNDED);
    // batch 3 is visible while batch 2 shows one of its two records: a writer never leaves that
    sync.append(addFrame(1, 1, 1));
    sync.append(addFrame(2, 2, 2));
    sync.append(addFrame(4, 3, 1));
    sync.force();
    follower.poll();
    assertFalse(follower.poll(), "it stops for good");
    String why = follower.status().stoppedBecause();
    assertTrue(why != null && why.contains("out of order"), String.valueOf(why));
    async.append(addFrame(3, 2, 2));
    async.force();
    sync.close();
    async.close();
    MessageStore taken = Stores.open(StoreFixture.options(dir, 2), StoreIo.system(), follower);
    Recovered r = taken.recover();
    taken.close();
    assertFalse(follower.status().tookOver(), "the takeover recovered in full");
    assertEquals(4, r.messages().size(), "batch 2 whole on disk by then: " + r.messages());
  }

  /** A journal of {@code dir} that a test writes frames to by hand, as epoch 1. */
  private static Journal writing(Path dir, String name) throws java.io.IOException {
    Journal j = new Journal(dir, name, StoreOptions.MIN_SEGMENT);
    j.list();
    j.startWriting(1, null);
    return j;
  }

  private static Frame addFrame(long messageId, long batch, int records) {
    Records.AddBody body =
        new Records.AddBody(
            messageId,
            0,
            List.of("queue:q"),
            "queue:q",
            "ID:p-" + messageId,
            StoreFixture.body(messageId, 100));
    return new Frame(RecordType.ADD, 1, batch, records, Records.encode(body));
  }

  private Comparison followAndTakeOver(
      Path dir, Random random, int batches, boolean clean, boolean mirrored) throws Exception {
    StoreOptions options = StoreFixture.options(dir, 1).withMinimumSize(SEGMENT);
    JournalStore writer = StoreFixture.open(options, null);
    StoreFollower follower = StoreFollower.of(options, UNBOUNDED);
    if (mirrored) {
      follower.preparing(Body::new).mirroring(RecordingMirror::new);
    }
    AtomicBoolean stop = new AtomicBoolean();
    Load load = new Load(writer, new Random(random.nextLong()));
    CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> load.run(batches, stop));
    long polls = 0;
    while (!writing.isDone()) {
      follower.poll();
      polls++;
      if (random.nextInt(200) == 0) {
        stop.set(true);
      }
    }
    writing.join();
    // while the writer is still open, the follower reads up to its last batch, across segments
    long written = writer.index.maxBatch;
    follower.poll();
    follower.poll();
    StoreFollower.Status caughtUp = follower.status();
    if (caughtUp.following()) {
      assertTrue(
          caughtUp.lastBatch() >= written,
          "the follower read up to batch " + caughtUp.lastBatch() + " of " + written);
    }
    if (clean) {
      writer.close();
    } else {
      // a crash: the writer stops where it is once the takeover's fence is raised
      Stores.raiseFence(dir, 2);
      io.tandem.testing.Await.until(
          "the writer sees the fence",
          StoreFixture.WAIT,
          () -> writer.state() == JournalStore.State.FENCED);
    }
    State expected = State.of(fullRecovery(dir));
    MessageStore taken = Stores.open(options.withEpoch(2), StoreIo.system(), follower);
    Recovered recovered = taken.recover();
    State actual = State.of(recovered);
    taken.close();
    writer.close();
    assertTrue(polls > 0);
    return new Comparison(
        expected, actual, follower.status().tookOver(), recovered.prebuilt() != null);
  }

  private static Recovered fullRecovery(Path dir) {
    List<Journal> journals = Stores.journals(dir, StoreOptions.MIN_SEGMENT);
    Recovery r = new Recovery(dir, journals, false, StoreOptions.DEFAULT_DUP_WINDOW).run();
    List<Recovered.RecoveredMessage> messages = new ArrayList<>();
    for (StoreIndex.Entry e : r.index.messages.values()) {
      messages.add(
          new Recovered.RecoveredMessage(
              e.messageId, e.data, e.expiresAt, List.copyOf(e.refs), r.clean ? 0 : 1, null));
    }
    List<SubscriptionRecord> subs =
        r.index.subscriptions.values().stream().map(StoreIndex.SubscriptionState::record).toList();
    return new Recovered(messages, subs, r.index.maxMessageId, r.clean);
  }

  private record Comparison(State expected, State actual, boolean tookOver, boolean prebuilt) {}

  /** What the mirror's test preparer makes of a stored message. */
  private record Body(byte[] data, long expiresAt) {}

  /** A mirror that keeps each live message's queue keys, as a backup's queues would hold it. */
  private static class RecordingMirror implements StoreFollower.Mirror {
    final Map<Long, List<String>> keys = new TreeMap<>();
    final Map<Long, Body> bodies = new TreeMap<>();
    long references;

    @Override
    public void added(long messageId, String queueKey, Object prepared) {
      keys.computeIfAbsent(messageId, k -> new ArrayList<>()).add(queueKey);
      bodies.put(messageId, (Body) prepared);
      references++;
    }

    @Override
    public void removed(long messageId, String queueKey, Object prepared) {
      List<String> k = keys.get(messageId);
      assertTrue(k != null && k.remove(queueKey), messageId + " was not in " + queueKey);
      assertEquals(bodies.get(messageId).expiresAt(), ((Body) prepared).expiresAt());
      if (k.isEmpty()) {
        keys.remove(messageId);
        bodies.remove(messageId);
      }
      references--;
    }

    @Override
    public long references() {
      return references;
    }

    @Override
    public String incomplete() {
      return null;
    }
  }

  /** What a recovery gives, comparable: messages by id with their queues and bytes. */
  private record State(
      Map<Long, String> messages, List<String> subscriptions, long lastId, boolean clean) {
    static State of(Recovered r) {
      Map<Long, String> messages = new TreeMap<>();
      if (r.prebuilt() instanceof RecordingMirror mirror) {
        assertTrue(r.messages().isEmpty());
        assertEquals(mirror.keys.size(), r.liveMessages());
        mirror.keys.forEach(
            (id, keys) -> {
              List<String> sorted = new ArrayList<>(keys);
              sorted.sort(null);
              Body b = mirror.bodies.get(id);
              messages.put(
                  id,
                  sorted
                      + " "
                      + Arrays.hashCode(b.data())
                      + " "
                      + (r.cleanShutdown() ? 0 : 1)
                      + " "
                      + b.expiresAt());
            });
      }
      for (Recovered.RecoveredMessage m : r.messages()) {
        List<String> keys = new ArrayList<>(m.queueKeys());
        keys.sort(null);
        messages.put(
            m.messageId(),
            keys + " " + Arrays.hashCode(m.data()) + " " + m.deliveryCount() + " " + m.expiresAt());
      }
      List<String> subs = new ArrayList<>();
      r.subscriptions().forEach(s -> subs.add(s.toString()));
      subs.sort(null);
      return new State(messages, subs, r.lastMessageId(), r.cleanShutdown());
    }
  }

  /** Random batches against a writer, with a backlog kept small so compaction runs. */
  private static final class Load {
    private final JournalStore store;
    private final Random random;
    private final Deque<long[]> live = new ArrayDeque<>();
    private long id;

    Load(JournalStore store, Random random) {
      this.store = store;
      this.random = random;
    }

    void run(int batches, AtomicBoolean stop) {
      SubscriptionRecord sub = new SubscriptionRecord("sub:c:s", "c", "s", "t", null, false, false);
      for (int i = 0; i < batches && !stop.get(); i++) {
        StoreBatch.Builder b = new StoreBatch.Builder();
        int kind = random.nextInt(10);
        if (kind < 5 || live.size() < 5) {
          int n = 1 + (random.nextInt(4) == 0 ? random.nextInt(6) : 0);
          for (int k = 0; k < n; k++) {
            boolean failsafe = random.nextBoolean();
            long m = ++id;
            String queue = random.nextInt(5) == 0 ? "sub:c:s" : "queue:q" + random.nextInt(3);
            b.add(
                new StoreBatch.Add(
                    m,
                    StoreFixture.body(m, 50 + random.nextInt(3000)),
                    0,
                    List.of(queue),
                    failsafe,
                    queue,
                    "ID:p-" + m));
            live.add(
                new long[] {
                  m, failsafe ? 1 : 0, queue.startsWith("sub") ? 1 : 0, queue.hashCode()
                });
          }
        } else if (kind < 9) {
          int n = 1 + random.nextInt(Math.min(5, live.size()));
          for (int k = 0; k < n && !live.isEmpty(); k++) {
            long[] m = live.removeFirst();
            String queue = m[2] == 1 ? "sub:c:s" : queueOf(m);
            b.remove(new StoreBatch.Remove(queue, m[0], m[1] == 1));
          }
        } else if (random.nextBoolean()) {
          b.subscription(sub);
        } else {
          b.deleteSubscription(sub.key());
          live.removeIf(m -> m[2] == 1);
        }
        StoreBatch batch = b.build();
        if (!batch.isEmpty()) {
          try {
            await(store.write(batch));
          } catch (AssertionError e) {
            return; // the takeover fenced this writer
          }
        }
      }
    }

    private static String queueOf(long[] m) {
      for (int q = 0; q < 3; q++) {
        if (("queue:q" + q).hashCode() == (int) m[3]) {
          return "queue:q" + q;
        }
      }
      throw new IllegalStateException();
    }
  }
}
