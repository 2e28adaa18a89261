package io.tandem.broker.cli;

import io.tandem.broker.store.MessageStore;
import io.tandem.broker.store.Recovered;
import io.tandem.broker.store.StoreBatch;
import io.tandem.broker.store.StoreOptions;
import io.tandem.broker.store.Stores;
import io.tandem.process.disk.SyncRate;
import io.tandem.process.disk.Trees;
import io.tandem.process.time.Clock;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The store benchmark: the disk's own fdatasync rate, failsafe send throughput with 1 and 32
 * synchronous producers, and recovery time of a large store. Reports figures; judges nothing.
 */
final class StoreBench {
  private final Path dir;
  private final PrintWriter out;
  private final int size;
  private final Duration each;

  StoreBench(Path dir, PrintWriter out, int size, Duration each) {
    this.dir = dir;
    this.out = out;
    this.size = size;
    this.each = each;
  }

  /** fdatasync per second of {@code size}-byte appends to a preallocated file in the directory. */
  double fdatasyncRate() throws IOException {
    return SyncRate.measure(dir, size, each, Clock.system());
  }

  /** Failsafe 1 KB sends per second with {@code producers} threads each waiting for its ack. */
  double sendRate(int producers) throws InterruptedException {
    Path store = fresh("send-" + producers);
    AtomicLong ids = new AtomicLong();
    AtomicLong sent = new AtomicLong();
    try (MessageStore s = Stores.open(options(store))) {
      s.recover();
      long deadline = System.nanoTime() + each.toNanos();
      List<Thread> threads = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int p = 0; p < producers; p++) {
        Thread t =
            new Thread(
                () -> {
                  while (System.nanoTime() < deadline) {
                    long id = ids.incrementAndGet();
                    s.write(batch(id, true)).join();
                    sent.incrementAndGet();
                  }
                });
        t.start();
        threads.add(t);
      }
      for (Thread t : threads) {
        t.join();
      }
      return sent.get() / ((System.nanoTime() - t0) / 1e9);
    } finally {
      delete(store);
    }
  }

  /** Writes {@code count} messages, closes, and times opening and recovering the store. */
  void recovery(int count) {
    Path store = fresh("recovery");
    try {
      long t0 = System.nanoTime();
      try (MessageStore s = Stores.open(options(store))) {
        s.recover();
        int per = 1000;
        for (long id = 1; id <= count; id += per) {
          StoreBatch.Builder b = new StoreBatch.Builder();
          for (long i = id; i < id + per && i <= count; i++) {
            b.add(add(i, false));
          }
          s.write(b.build()).join();
        }
      }
      long written = System.nanoTime() - t0;
      long t1 = System.nanoTime();
      int live;
      try (MessageStore s = Stores.open(options(store).withEpoch(Stores.fence(store) + 1))) {
        Recovered r = s.recover();
        live = Math.toIntExact(r.liveMessages());
      }
      long recovered = System.nanoTime() - t1;
      out.printf(
          "recovery: %d messages of %d bytes written in %.1f s, recovered (%d live) in %.2f s%n",
          count, size, written / 1e9, live, recovered / 1e9);
    } finally {
      delete(store);
    }
  }

  private StoreOptions options(Path store) {
    return StoreOptions.defaults(store, Stores.fence(store) + 1);
  }

  private StoreBatch batch(long id, boolean failsafe) {
    return new StoreBatch.Builder().add(add(id, failsafe)).build();
  }

  private StoreBatch.Add add(long id, boolean failsafe) {
    return new StoreBatch.Add(id, new byte[size], 0, List.of("queue:bench"), failsafe);
  }

  private Path fresh(String name) {
    Path p = dir.resolve("bench-" + name);
    delete(p);
    return p;
  }

  private static void delete(Path p) {
    try {
      Trees.delete(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
