package io.tandem.broker.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Builds batches and opens stores for the store tests. */
final class StoreFixture {
  static final Duration WAIT = Duration.ofSeconds(30);

  private StoreFixture() {}

  static StoreOptions options(Path dir, long epoch) {
    return StoreOptions.defaults(dir, epoch).withMinimumSize(StoreOptions.MIN_SEGMENT);
  }

  /** Opens and recovers; the recovered state is left in {@code out[0]} when given. */
  static JournalStore open(StoreOptions options, Recovered[] out) {
    JournalStore s = JournalStore.open(options);
    Recovered r = s.recover();
    if (out != null) {
      out[0] = r;
    }
    return s;
  }

  /** Opens a store at the epoch after the fence, as a restart would. */
  static JournalStore reopen(Path dir, Recovered[] out) {
    return open(options(dir, Stores.fence(dir) + 1), out);
  }

  static byte[] body(long id, int size) {
    byte[] b = new byte[size];
    byte[] text = ("message-" + id).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(text, 0, b, 0, Math.min(text.length, size));
    return b;
  }

  static StoreBatch.Add add(long id, boolean failsafe, String... keys) {
    return new StoreBatch.Add(
        id, body(id, 100), 0, List.of(keys), failsafe, keys[0], "ID:producer-" + id);
  }

  static StoreBatch adds(StoreBatch.Add... adds) {
    StoreBatch.Builder b = new StoreBatch.Builder();
    for (StoreBatch.Add a : adds) {
      b.add(a);
    }
    return b.build();
  }

  static StoreBatch remove(String key, long id, boolean failsafe) {
    return new StoreBatch.Builder().remove(new StoreBatch.Remove(key, id, failsafe)).build();
  }

  static void await(CompletableFuture<Void> f) {
    try {
      f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("store write did not complete: " + e, e);
    }
  }

  static List<Long> ids(Recovered r) {
    List<Long> ids = new ArrayList<>();
    r.messages().forEach(m -> ids.add(m.messageId()));
    ids.sort(Comparator.naturalOrder());
    return ids;
  }

  /** Hands out increasing message ids. */
  static final class Ids {
    private final AtomicLong next = new AtomicLong();

    long next() {
      return next.incrementAndGet();
    }
  }
}
