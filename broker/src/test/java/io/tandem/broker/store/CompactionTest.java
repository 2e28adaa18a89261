package io.tandem.broker.store;

import static io.tandem.broker.store.StoreFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactionTest {
  private static final long MINIMUM = StoreOptions.MIN_SEGMENT;
  private static final int SIZE = 1024;

  @TempDir Path dir;

  @Test
  void shouldStayBoundedUnderSteadyProduceAndConsumeOfTenTimesTheMinimum() throws Exception {
    StoreOptions options = StoreFixture.options(dir, 1).withMinimumSize(MINIMUM);
    long churn = 40 * MINIMUM;
    long bound = 20 * MINIMUM;
    long peak = 0;
    List<Long> stuck = new ArrayList<>();
    SubscriptionRecord sub = new SubscriptionRecord("sub:c:s", "c", "s", "t", null, false, false);
    Deque<Long> backlog = new ArrayDeque<>();
    long id = 0;
    try (JournalStore s = StoreFixture.open(options, null)) {
      for (long written = 0; written < churn; written += 10 * SIZE) {
        StoreBatch.Builder produce = new StoreBatch.Builder();
        for (int i = 0; i < 10; i++) {
          produce.add(add(++id, id % 2 == 0));
          backlog.add(id);
        }
        await(s.write(produce.build()));
        if (id % 500 == 0) {
          stuck.add(backlog.removeLast());
          await(s.write(new StoreBatch.Builder().subscription(sub).build()));
          await(s.write(new StoreBatch.Builder().deleteSubscription(sub.key()).build()));
        }
        while (backlog.size() > 40) {
          long gone = backlog.removeFirst();
          await(s.write(StoreFixture.remove("queue:q", gone, gone % 2 == 0)));
        }
        peak = Math.max(peak, size(dir));
      }
    }
    assertTrue(peak <= bound, "store grew to " + peak + " bytes (bound " + bound + ")");
    for (String name : List.of(Journal.SYNC, Journal.ASYNC, Journal.META)) {
      List<Segment> left = new Journal(dir, name, MINIMUM).list();
      long created = left.get(left.size() - 1).seq;
      assertTrue(created > left.size(), name + ": " + left.size() + " of " + created + " left");
    }
    Recovered[] r = new Recovered[1];
    try (JournalStore again = StoreFixture.reopen(dir, r)) {
      List<Long> expected = new ArrayList<>(stuck);
      expected.addAll(backlog);
      expected.sort(null);
      assertEquals(expected, StoreFixture.ids(r[0]));
      assertTrue(again.isDuplicate("queue:q", "ID:producer-1"), "early id left the window");
      assertEquals(id, r[0].lastMessageId());
    }
  }

  private static StoreBatch.Add add(long id, boolean failsafe) {
    return new StoreBatch.Add(
        id,
        StoreFixture.body(id, SIZE),
        0,
        List.of("queue:q"),
        failsafe,
        "queue:q",
        "ID:producer-" + id);
  }

  /** Bytes of the store's files now; compaction may delete one while they are counted. */
  private static long size(Path dir) throws IOException {
    while (true) {
      try (Stream<Path> files = Files.walk(dir)) {
        long total = 0;
        for (Path p : files.filter(Files::isRegularFile).toList()) {
          try {
            total += Files.size(p);
          } catch (java.nio.file.NoSuchFileException e) {
            // deleted between the listing and now: it takes no room
          }
        }
        return total;
      } catch (java.io.UncheckedIOException e) {
        if (!(e.getCause() instanceof java.nio.file.NoSuchFileException)) {
          throw e;
        }
        // a file vanished while the directory was walked: count again
      }
    }
  }
}
