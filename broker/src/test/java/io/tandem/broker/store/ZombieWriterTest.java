package io.tandem.broker.store;

import static io.tandem.broker.store.StoreFixture.add;
import static io.tandem.broker.store.StoreFixture.adds;
import static io.tandem.broker.store.StoreFixture.await;
import static io.tandem.broker.store.StoreFixture.ids;
import static io.tandem.broker.store.StoreFixture.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.BrokerException;
import io.tandem.testing.Await;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fenced-out writer that has not noticed yet (it was paused between fence checks) goes on
 * appending and even creates a new segment after the next epoch recovered. Recovery at a third
 * epoch sees exactly what was acknowledged.
 */
class ZombieWriterTest {
  @TempDir Path dir;

  /**
   * Epoch 1's store, with a monotonic clock that never advances: its idle fence check never comes
   * due, as for a writer paused at the wrong moment.
   */
  private JournalStore zombie() {
    StoreOptions o =
        options(dir, 1)
            .withOnFenced((own, fence) -> {})
            .withClock(new io.tandem.testing.FakeClock());
    return StoreFixture.open(o, null);
  }

  /** Writes the zombie's late batches: one too large for its segments, so it must roll. */
  private static List<CompletableFuture<Void>> lateWrites(JournalStore zombie) {
    StoreBatch roll =
        new StoreBatch.Builder()
            .add(new StoreBatch.Add(500, new byte[100_000], 0, List.of("queue:q"), true))
            .remove(new StoreBatch.Remove("queue:q", 1, true))
            .remove(new StoreBatch.Remove("queue:q", 2, true))
            .build();
    List<CompletableFuture<Void>> late = new ArrayList<>();
    late.add(zombie.write(roll));
    for (long id = 501; id < 510; id++) {
      late.add(zombie.write(adds(add(id, true, "queue:q"))));
    }
    return late;
  }

  private static void assertNoneAcknowledged(List<CompletableFuture<Void>> late) {
    for (CompletableFuture<Void> f : late) {
      try {
        f.join();
        throw new AssertionError("a fenced writer's batch was acknowledged");
      } catch (CompletionException e) {
        assertEquals(BrokerException.Category.FENCED, ((BrokerException) e.getCause()).category());
      }
    }
  }

  private List<Segment> zombieSegments() throws IOException {
    List<Segment> out = new ArrayList<>();
    for (Segment s : new Journal(dir, Journal.SYNC, StoreOptions.MIN_SEGMENT).list()) {
      if (s.epoch == 1) {
        out.add(s);
      }
    }
    return out;
  }

  @Test
  void shouldIgnoreASegmentAFencedWriterCreatedAfterTheNextEpochRecovered() throws Exception {
    JournalStore first = zombie();
    try {
      for (long id = 1; id <= 5; id++) {
        await(first.write(adds(add(id, true, "queue:q"))));
      }
      List<Path> segmentsBefore = new ArrayList<>();
      try (JournalStore second = StoreFixture.open(options(dir, 2), null)) {
        await(second.write(adds(add(10, true, "queue:q"))));
        zombieSegments().forEach(z -> segmentsBefore.add(z.path));
        assertNoneAcknowledged(lateWrites(first));
        await(second.write(adds(add(11, true, "queue:q"))));
      }
      Segment late = lateSegmentWithRecords(segmentsBefore);

      assertThird(List.of(1L, 2L, 3L, 4L, 5L, 10L, 11L), late);
    } finally {
      first.close();
    }
  }

  @Test
  void shouldKeepIgnoringAZombieSegmentAfterMetaWasCompactedAway() throws Exception {
    JournalStore first = zombie();
    try {
      for (long id = 1; id <= 5; id++) {
        await(first.write(adds(add(id, true, "queue:q"))));
      }
      try (JournalStore second = StoreFixture.open(options(dir, 2), null)) {
        // subscriptions until meta was rewritten as a snapshot: epoch 2's EPOCH_START is gone,
        // only its LIMITS record names epoch 1's segments
        for (int i = 0; i < 20_000 && epochStartOf(2); i++) {
          SubscriptionRecord sub =
              new SubscriptionRecord("sub:c:" + i, "c", "s" + i, "t", null, false, false);
          await(second.write(new StoreBatch.Builder().subscription(sub).build()));
        }
        assertFalse(epochStartOf(2), "meta was never compacted");
        assertNoneAcknowledged(lateWrites(first));
        await(second.write(adds(add(11, true, "queue:q"))));
      }
      assertThird(List.of(1L, 2L, 3L, 4L, 5L, 11L), lateSegmentWithRecords(List.of()));
    } finally {
      first.close();
    }
  }

  /** The segment of epoch 1 the zombie created for its late batch (not one of {@code before}). */
  private Segment lateSegmentWithRecords(List<Path> before) throws IOException {
    Segment found = null;
    for (Segment s : zombieSegments()) {
      if (!before.contains(s.path) && !SegmentScan.of(s, -1).frames.isEmpty()) {
        found = s;
      }
    }
    assertTrue(found != null, "the zombie created no new segment with records");
    return found;
  }

  private boolean epochStartOf(long epoch) throws IOException {
    for (Segment s : new Journal(dir, Journal.META, StoreOptions.MIN_SEGMENT).list()) {
      if (s.epoch == epoch) {
        for (SegmentScan.Located l : SegmentScan.of(s, -1).frames) {
          if (l.frame().type() == RecordType.EPOCH_START) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Recovery at epoch 3 (and at 4, after 3 named what it kept) sees exactly {@code acked}. */
  private void assertThird(List<Long> acked, Segment late) {
    StoreReport report = Stores.inspect(dir);
    assertTrue(
        report.problems().stream()
            .anyMatch(
                p ->
                    p.kind().equals("ignored-segment")
                        && p.file().equals(late.key("sync-msgs.db"))),
        report.problems().toString());
    for (int round = 0; round < 2; round++) {
      Recovered[] r = new Recovered[1];
      try (JournalStore third = StoreFixture.reopen(dir, r)) {
        assertEquals(acked, ids(r[0]));
        assertEquals(JournalStore.State.SERVING, third.state());
        Await.until("recovered", StoreFixture.WAIT, () -> third.index != null);
      }
    }
  }
}
