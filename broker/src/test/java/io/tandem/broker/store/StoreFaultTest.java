package io.tandem.broker.store;

import static io.tandem.broker.store.StoreFixture.add;
import static io.tandem.broker.store.StoreFixture.adds;
import static io.tandem.broker.store.StoreFixture.await;
import static io.tandem.broker.store.StoreFixture.ids;
import static io.tandem.broker.store.StoreFixture.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import io.tandem.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every failed write or flush stops the store (the broker then logs {@code STORE FAILED} and
 * exits), except a full disk on an append that wrote nothing, which is waited out.
 */
class StoreFaultTest {
  @TempDir Path dir;

  /** What the broker's listener would be told; the broker exits on {@code failed}. */
  private static final class Watch implements FenceListener {
    final AtomicReference<BrokerException> failed = new AtomicReference<>();

    @Override
    public void fenced(long ownEpoch, long fenceEpoch) {
      throw new AssertionError("not fenced: " + fenceEpoch);
    }

    @Override
    public void failed(BrokerException cause) {
      failed.compareAndSet(null, cause);
    }
  }

  private final Watch watch = new Watch();

  private JournalStore open(FaultyChannels io, Duration asyncFlush) {
    StoreOptions o = options(dir, 1).withOnFenced(watch).withAsyncFlushInterval(asyncFlush);
    JournalStore s = JournalStore.open(o, io);
    s.recover();
    return s;
  }

  private static BrokerException failure(CompletableFuture<Void> f) {
    try {
      f.get(StoreFixture.WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return (BrokerException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("write should have failed");
  }

  private void assertStopped(JournalStore s, String cause) {
    Await.until("store failure reported", StoreFixture.WAIT, () -> watch.failed.get() != null);
    assertEquals(JournalStore.State.FAILED, s.state());
    assertEquals(Category.STORE_IO, watch.failed.get().category());
    assertTrue(watch.failed.get().getMessage().contains(cause), watch.failed.get().getMessage());
    assertEquals(Category.STORE_IO, failure(s.write(adds(add(99, true, "queue:q")))).category());
  }

  /** The acknowledged messages are all there after a restart on a healthy disk. */
  private void assertRecovered(List<Long> acked) {
    Recovered[] r = new Recovered[1];
    try (JournalStore again = StoreFixture.reopen(dir, r)) {
      assertTrue(ids(r[0]).containsAll(acked), ids(r[0]) + " should hold " + acked);
      assertEquals(JournalStore.State.SERVING, again.state());
    }
  }

  @Test
  void shouldStopTheStoreWhenAFlushFails() {
    FaultyChannels io = new FaultyChannels(Journal.SYNC);
    try (JournalStore s = open(io, StoreOptions.DEFAULT_ASYNC_FLUSH)) {
      await(s.write(adds(add(1, true, "queue:q"))));
      io.arm(FaultyChannels.Fault.FLUSH_EIO);
      BrokerException e = failure(s.write(adds(add(2, true, "queue:q"))));
      assertEquals(Category.STORE_IO, e.category());
      assertStopped(s, "Input/output error");
    }
    assertRecovered(List.of(1L));
  }

  @Test
  void shouldStopTheStoreWhenAFlushReportsAFullDisk() {
    FaultyChannels io = new FaultyChannels(Journal.SYNC);
    try (JournalStore s = open(io, StoreOptions.DEFAULT_ASYNC_FLUSH)) {
      await(s.write(adds(add(1, true, "queue:q"))));
      io.arm(FaultyChannels.Fault.FLUSH_ENOSPC);
      BrokerException e = failure(s.write(adds(add(2, true, "queue:q"))));
      assertEquals(Category.STORE_IO, e.category(), "a failed fdatasync is never waited out");
      assertStopped(s, "No space left on device");
    }
    assertRecovered(List.of(1L));
  }

  @Test
  void shouldWaitOutAFullDiskOnAnAppendThatWroteNothing() {
    FaultyChannels io = new FaultyChannels(Journal.SYNC);
    try (JournalStore s = open(io, StoreOptions.DEFAULT_ASYNC_FLUSH)) {
      await(s.write(adds(add(1, true, "queue:q"))));
      io.arm(FaultyChannels.Fault.WRITE_ENOSPC_ONCE);
      BrokerException e = failure(s.write(adds(add(2, true, "queue:q"))));
      assertEquals(Category.DISK_FULL, e.category(), e.getMessage());
      assertEquals(JournalStore.State.SERVING, s.state());
      await(s.write(adds(add(3, true, "queue:q"))));
      assertEquals(null, watch.failed.get());
    }
    Recovered[] r = new Recovered[1];
    try (JournalStore again = StoreFixture.reopen(dir, r)) {
      assertEquals(List.of(1L, 3L), ids(r[0]));
      assertEquals(JournalStore.State.SERVING, again.state());
    }
  }

  @Test
  void shouldStopTheStoreWhenAWriteFails() {
    FaultyChannels io = new FaultyChannels(Journal.SYNC);
    try (JournalStore s = open(io, StoreOptions.DEFAULT_ASYNC_FLUSH)) {
      await(s.write(adds(add(1, true, "queue:q"))));
      io.arm(FaultyChannels.Fault.WRITE_EIO);
      assertEquals(Category.STORE_IO, failure(s.write(adds(add(2, true, "queue:q")))).category());
      assertStopped(s, "Input/output error");
    }
    assertRecovered(List.of(1L));
  }

  @Test
  void shouldAcknowledgeNothingAfterAFailedWriteEvenInTheSameGroupCommit() {
    FaultyChannels io = new FaultyChannels(Journal.SYNC);
    try (JournalStore s = open(io, StoreOptions.DEFAULT_ASYNC_FLUSH)) {
      await(s.write(adds(add(1, true, "queue:q"))));
      io.arm(FaultyChannels.Fault.WRITE_EIO_ONCE);
      List<CompletableFuture<Void>> queued = new ArrayList<>();
      for (long id = 2; id < 40; id++) {
        queued.add(s.write(adds(add(id, true, "queue:q"))));
      }
      for (CompletableFuture<Void> f : queued) {
        assertEquals(Category.STORE_IO, failure(f).category());
      }
      assertStopped(s, "Input/output error");
    }
    assertRecovered(List.of(1L));
  }

  @Test
  void shouldStopTheStoreWhenThePeriodicFlushOfAsyncMessagesFails() {
    FaultyChannels io = new FaultyChannels(Journal.ASYNC);
    try (JournalStore s = open(io, Duration.ofMillis(20))) {
      io.arm(FaultyChannels.Fault.FLUSH_EIO);
      await(s.write(adds(add(1, false, "queue:n"))));
      assertStopped(s, "periodic flush of async-msgs.db failed");
    }
  }

  @Test
  void shouldStopTheStoreWhenCompactionCannotFlush() {
    FaultyChannels io = new FaultyChannels(Journal.META);
    List<Long> acked = new ArrayList<>();
    try (JournalStore s = open(io, Duration.ofMinutes(1))) {
      io.arm(FaultyChannels.Fault.FLUSH_EIO);
      // only compaction flushes meta here: these batches are asynchronous and touch no metadata
      for (long id = 1; id <= 5_000 && watch.failed.get() == null; id++) {
        StoreBatch.Add a =
            new StoreBatch.Add(id, new byte[2048], 0, List.of("queue:n"), false, null, null);
        try {
          s.write(adds(a)).join();
          s.write(StoreFixture.remove("queue:n", id, false)).join();
        } catch (CompletionException e) {
          break;
        }
        acked.add(id);
      }
      assertTrue(io.injected.get() > 0, "compaction never flushed meta");
      assertStopped(s, "compaction failed");
    }
    assertRecovered(List.of());
  }

  @Test
  void shouldStopTheStoreWhenTheIdleFenceCheckCannotReadTheFence() throws Exception {
    try (JournalStore s = open(new FaultyChannels("none"), StoreOptions.DEFAULT_ASYNC_FLUSH)) {
      await(s.write(adds(add(1, true, "queue:q"))));
      Files.writeString(dir.resolve(Fence.FILE), "not an epoch\n");
      assertStopped(s, "cannot read the store fence");
    }
  }

  @Test
  void shouldStopTheStoreWhenTheFenceBecomesUnreadable() throws Exception {
    try (JournalStore s = open(new FaultyChannels("none"), StoreOptions.DEFAULT_ASYNC_FLUSH)) {
      await(s.write(adds(add(1, true, "queue:q"))));
      // replaced in one rename by a link to a directory: reading it fails with EISDIR
      Path link = dir.resolve("fence.link");
      Files.createSymbolicLink(link, Files.createDirectory(dir.resolve("not-a-file")));
      Files.move(
          link,
          dir.resolve(Fence.FILE),
          java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      assertStopped(s, "cannot read the store fence");
    }
  }
}
