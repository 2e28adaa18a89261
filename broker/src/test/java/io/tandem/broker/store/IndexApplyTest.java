package io.tandem.broker.store;

import static io.tandem.broker.store.StoreFixture.add;
import static io.tandem.broker.store.StoreFixture.adds;
import static io.tandem.broker.store.StoreFixture.await;
import static io.tandem.broker.store.StoreFixture.options;
import static io.tandem.broker.store.StoreFixture.remove;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer and recovery apply records through one step, so they reach the same index. */
class IndexApplyTest {
  @TempDir Path dir;

  @Test
  void shouldLeaveTheWriterAndRecoveryWithTheSameIndex() {
    SubscriptionRecord sub = new SubscriptionRecord("sub:c:n", "c", "n", "t", null, false, false);
    Map<Long, List<String>> written;
    Map<String, Long> writtenSubscriptions;
    try (JournalStore s = StoreFixture.open(options(dir, 1), null)) {
      await(s.write(new StoreBatch.Builder().subscription(sub).build()));
      await(s.write(adds(add(1, true, "queue:a", "sub:c:n"), add(2, false, "sub:c:n"))));
      await(s.write(adds(add(3, false, "queue:b"), add(4, true, "queue:a", "queue:b"))));
      await(s.write(remove("queue:a", 1, true)));
      await(s.write(remove("queue:b", 4, true)));
      await(
          s.write(
              new StoreBatch.Builder().deleteSubscription("sub:c:n").subscription(sub).build()));
      await(s.write(adds(add(5, false, "sub:c:n"))));
      written = refs(s.index);
      writtenSubscriptions = subscriptions(s.index);
    }
    try (JournalStore s = StoreFixture.reopen(dir, null)) {
      assertEquals(written, refs(s.index));
      assertEquals(writtenSubscriptions.keySet(), subscriptions(s.index).keySet());
      assertEquals(
          Map.of(3L, List.of("queue:b"), 4L, List.of("queue:a"), 5L, List.of("sub:c:n")),
          refs(s.index));
    }
  }

  private static Map<Long, List<String>> refs(StoreIndex index) {
    Map<Long, List<String>> out = new TreeMap<>();
    index.messages.forEach((id, e) -> out.put(id, List.copyOf(e.refs)));
    return out;
  }

  private static Map<String, Long> subscriptions(StoreIndex index) {
    Map<String, Long> out = new TreeMap<>();
    index.subscriptions.forEach((k, v) -> out.put(k, v.batch()));
    return out;
  }
}
