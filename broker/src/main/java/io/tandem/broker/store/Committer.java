package io.tandem.broker.store;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The writer thread's work: group commit, the fence check, the periodic flush of {@code
 * async-msgs.db}, and compaction between groups.
 */
final class Committer {
  private static final Logger LOG = Logger.getLogger(Committer.class.getName());

  /** How often an idle writer re-reads the fence. */
  static final long FENCE_CHECK_INTERVAL_MS = 250;

  private final JournalStore store;
  private final StoreIndex index;
  private final Compactor compactor;
  private final long epoch;
  private final java.util.function.LongSupplier nanoTime;
  private final long asyncFlushNanos;

  /** Deadlines in {@link #nanoTime} units: monotonic, so a wall-clock step moves neither. */
  private long asyncFlushDue;

  private boolean asyncFlushPending;
  private long fenceCheckDue;
  private final java.util.concurrent.atomic.AtomicLong flushes =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong batches =
      new java.util.concurrent.atomic.AtomicLong();

  Committer(JournalStore store, boolean rewriteOldSegments) {
    this.store = store;
    this.index = store.index;
    this.epoch = store.options.epoch();
    this.nanoTime = store.options.nanoTime();
    this.asyncFlushNanos = store.options.asyncFlushInterval().toNanos();
    this.fenceCheckDue = nanoTime.getAsLong();
    this.compactor = new Compactor(store, this, rewriteOldSegments);
  }

  /** Records how much of every older segment this epoch recovered, before serving. */
  void startEpoch() throws IOException {
    List<Records.SegmentLimit> limits = new ArrayList<>();
    for (Journal j : store.journals) {
      for (Segment s : j.segments()) {
        if (s.epoch < epoch) {
          limits.add(new Records.SegmentLimit(j.name, s.path.getFileName().toString(), s.validEnd));
          index.limits.put(s.key(j.name), s.validEnd);
        }
      }
    }
    long batch = ++index.maxBatch;
    append(store.meta, new Records.LimitsBody(true, index.maxMessageId, limits), batch, 1);
    store.meta.force();
    long fence = Fence.read(store.options.dir());
    if (fence != epoch) {
      throw new BrokerException(
          Category.FENCED,
          "store fence moved to " + fence + " while epoch " + epoch + " recovered");
    }
  }

  Journal.Location append(Journal j, Records.Body body, long batch, int batchRecords)
      throws IOException {
    return j.append(new Frame(body.type(), epoch, batch, batchRecords, Records.encode(body)));
  }

  /** Runs until the close signal; then writes the clean-shutdown record. */
  void run(BlockingQueue<JournalStore.Pending> queue) {
    List<JournalStore.Pending> group = new ArrayList<>();
    while (true) {
      JournalStore.Pending first = next(queue);
      group.clear();
      if (first != null) {
        group.add(first);
        queue.drainTo(group);
      }
      boolean closing = group.removeIf(p -> p.batch() == null);
      if (!group.isEmpty() && !stopped()) {
        store.io.run("group commit of " + group.size() + " batches", () -> commit(group));
      } else {
        group.forEach(p -> p.future().completeExceptionally(store.refusal(store.state())));
      }
      if (stopped()) {
        return;
      }
      store.io.run("periodic flush", this::flushAsyncIfDue);
      if (stopped() || !store.io.get("fence check", this::checkFenceIfDue)) {
        return;
      }
      if (closing) {
        store.io.run("clean shutdown record", this::finish);
        return;
      }
      store.io.run("compaction round", compactor::step);
    }
  }

  private boolean stopped() {
    JournalStore.State s = store.state();
    return s == JournalStore.State.FENCED || s == JournalStore.State.FAILED;
  }

  /** Group commits that flushed at least one journal. */
  long flushes() {
    return flushes.get();
  }

  /** Batches committed. */
  long batches() {
    return batches.get();
  }

  private JournalStore.Pending next(BlockingQueue<JournalStore.Pending> queue) {
    try {
      if (compactor.hasWork()) {
        return queue.poll();
      }
      long now = nanoTime.getAsLong();
      long wait = fenceCheckDue - now;
      if (asyncFlushPending) {
        wait = Math.min(wait, asyncFlushDue - now);
      }
      return wait <= 0 ? queue.poll() : queue.poll(wait, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new JournalStore.Pending(null, null);
    }
  }

  private void commit(List<JournalStore.Pending> group) {
    List<Written> written = new ArrayList<>(group.size());
    Set<Journal> toForce = new HashSet<>();
    for (JournalStore.Pending p : group) {
      Written w = stopped() ? refused(p) : write(p);
      if (w != null) {
        written.add(w);
        if (p.batch().synchronous()) {
          toForce.addAll(w.journals());
        }
      }
    }
    if (written.isEmpty()) {
      return;
    }
    if (stopped()) {
      // a write of this group failed for good: nothing written with it is acknowledged either
      BrokerException refusal = store.refusal(store.state());
      written.forEach(w -> w.pending().future().completeExceptionally(refusal));
      return;
    }
    long flushStart = System.nanoTime();
    try {
      for (Journal j : toForce) {
        j.force();
      }
      if (!toForce.isEmpty()) {
        flushes.incrementAndGet();
      }
      long fence = Fence.read(store.options.dir());
      if (fence != epoch) {
        BrokerException f = store.refusal(JournalStore.State.FENCED);
        written.forEach(w -> w.pending().future().completeExceptionally(f));
        store.fenced(fence);
        return;
      }
    } catch (IOException | BrokerException e) {
      // after a failed fsync the kernel may have dropped the pages it could not write, so even a
      // full disk here is fatal: retrying and then acknowledging would lose data
      BrokerException failure = StoreErrors.fatal("cannot flush the store", e);
      LOG.warning(
          "store flush failed, " + written.size() + " batches failed: " + failure.getMessage());
      for (Written w : written) {
        index.abort(epoch, w.batch());
        w.journals().forEach(Journal::abandonActive);
        w.pending().future().completeExceptionally(failure);
      }
      store.failed(failure);
      return;
    }
    boolean dirty = store.journals.stream().anyMatch(j -> j.dirty);
    if (dirty && !asyncFlushPending) {
      asyncFlushPending = true;
      asyncFlushDue = nanoTime.getAsLong() + asyncFlushNanos;
    }
    batches.addAndGet(written.size());
    store.commitObserver.committed(
        written.size(), toForce.isEmpty() ? 0 : System.nanoTime() - flushStart);
    for (Written w : written) {
      applyToIndex(w);
      w.pending().future().complete(null);
    }
  }

  /** A batch whose records are appended, with what the index must learn once it is committed. */
  private record Written(
      JournalStore.Pending pending,
      long batch,
      Set<Journal> journals,
      List<Planned> records,
      List<Journal.Location> locations) {}

  /** One record of a batch and the journal it goes to. */
  private record Planned(Journal journal, Records.Body body) {}

  /** Appends one batch; null if it failed (its future is then failed) or had nothing to write. */
  private Written write(JournalStore.Pending p) {
    long batch = ++index.maxBatch;
    List<Planned> records = plan(p.batch(), batch);
    if (records.isEmpty()) {
      p.future().complete(null);
      return null;
    }
    List<Frame> frames = new ArrayList<>(records.size());
    Map<Journal, Long> bytes = new LinkedHashMap<>();
    long total = 0;
    for (Planned r : records) {
      Frame f = new Frame(r.body().type(), epoch, batch, records.size(), Records.encode(r.body()));
      frames.add(f);
      bytes.merge(r.journal(), (long) f.length(), Long::sum);
      total += f.length();
    }
    if (total > StoreOptions.MAX_BATCH_BYTES) {
      refuseTooLarge(p, total);
      return null;
    }
    try {
      boolean adds = !p.batch().adds().isEmpty();
      for (Map.Entry<Journal, Long> e : bytes.entrySet()) {
        e.getKey().ensureRoom(e.getValue(), adds ? e.getKey().reserve() : 0);
      }
    } catch (IOException e) {
      fail(p, StoreErrors.io("cannot allocate store space", e));
      return null;
    }
    List<Journal.Location> locations = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      try {
        locations.add(records.get(i).journal().append(frames.get(i)));
      } catch (IOException e) {
        BrokerException failure = StoreErrors.io("cannot write the store", e);
        if (i > 0 || failure.category() != Category.DISK_FULL) {
          // part of the batch may be on disk: it must never be applied, and the segment's state
          // is unknown
          failure = StoreErrors.fatal("cannot write the store", e);
          index.abort(epoch, batch);
          bytes.keySet().forEach(Journal::abandonActive);
        }
        fail(p, failure);
        return null;
      }
    }
    return new Written(p, batch, bytes.keySet(), records, locations);
  }

  /**
   * Fails one batch. A full disk that left the journals as they were is waited out; any other
   * failure stops the store for good.
   */
  private Written refused(JournalStore.Pending p) {
    p.future().completeExceptionally(store.refusal(store.state()));
    return null;
  }

  private void fail(JournalStore.Pending p, BrokerException e) {
    LOG.warning("store write failed: " + e.getMessage());
    p.future().completeExceptionally(e);
    if (e.category() != Category.DISK_FULL) {
      store.failed(e);
    }
  }

  /** A batch recovery could not read back is refused before any byte of it is written. */
  private void refuseTooLarge(JournalStore.Pending p, long bytes) {
    p.future().completeExceptionally(StoreErrors.tooLarge(bytes));
  }

  private List<Planned> plan(StoreBatch b, long batch) {
    List<Planned> out = new ArrayList<>();
    for (String key : b.deletedSubscriptions()) {
      out.add(new Planned(store.meta, new Records.DeleteBody(key, batch)));
    }
    for (StoreBatch.Add a : b.adds()) {
      out.add(
          new Planned(
              a.failsafe() ? store.sync : store.async,
              new Records.AddBody(
                  a.messageId(),
                  a.expiresAt(),
                  a.queueKeys(),
                  a.destination(),
                  a.producerMessageId(),
                  a.data())));
    }
    for (StoreBatch.Remove r : b.removes()) {
      StoreIndex.Entry e = index.messages.get(r.messageId());
      if (e != null && e.refs.contains(r.queueKey())) {
        out.add(
            new Planned(e.location.journal(), new Records.RemoveBody(r.queueKey(), r.messageId())));
      }
    }
    for (SubscriptionRecord s : b.subscriptions()) {
      out.add(new Planned(store.meta, new Records.SubscriptionBody(s)));
    }
    return out;
  }

  private void applyToIndex(Written w) {
    for (int i = 0; i < w.records().size(); i++) {
      Records.Body body = w.records().get(i).body();
      if (body instanceof Records.AddBody a) {
        StoreIndex.Entry e =
            new StoreIndex.Entry(
                a.messageId(), a.expiresAt(), a.queueKeys(), a.dupKey(), a.producerId());
        e.location = w.locations().get(i);
        e.addBatch = w.batch();
        index.put(e);
        index.window.add(a.dupKey(), a.producerId());
      } else if (body instanceof Records.RemoveBody r) {
        index.removeRef(r.messageId(), r.queueKey());
      } else if (body instanceof Records.SubscriptionBody s) {
        index.subscriptions.put(
            s.record().key(), new StoreIndex.SubscriptionState(s.record(), w.batch()));
      } else if (body instanceof Records.DeleteBody d) {
        index.deleteSubscription(d.key(), d.deletedAt());
      }
    }
  }

  /**
   * An idle writer still notices a moved fence within {@link #FENCE_CHECK_INTERVAL_MS}, so a broker
   * whose store another activator took stops serving even when no client writes. False if fenced.
   */
  private boolean checkFenceIfDue() {
    long now = nanoTime.getAsLong();
    if (now - fenceCheckDue < 0) {
      return true;
    }
    fenceCheckDue = now + TimeUnit.MILLISECONDS.toNanos(FENCE_CHECK_INTERVAL_MS);
    try {
      return fenceHolds();
    } catch (IOException | BrokerException e) {
      // a writer that cannot tell whether it still owns the store must not go on acknowledging
      store.failed(StoreErrors.fatal("cannot read the store fence", e));
      return false;
    }
  }

  /**
   * Flushes what asynchronous batches wrote. Their clients were told "stored" already, so a failed
   * flush stops the store: nothing more may be acknowledged on top of data that may be lost.
   */
  private void flushAsyncIfDue() {
    if (!asyncFlushPending || nanoTime.getAsLong() - asyncFlushDue < 0) {
      return;
    }
    asyncFlushPending = false;
    // mostly async-msgs.db, but also an unflushed acknowledgement of a non-failsafe reference to a
    // message that lives in sync-msgs.db
    for (Journal j : store.journals) {
      try {
        j.force();
      } catch (IOException e) {
        j.abandonActive();
        store.failed(StoreErrors.fatal("periodic flush of " + j.name + " failed", e));
        return;
      }
    }
  }

  /** Forces every journal and checks the fence; the caller deletes files only if this is true. */
  boolean forceAllAndCheckFence() throws IOException {
    for (Journal j : store.journals) {
      j.force();
    }
    return fenceHolds();
  }

  /** Re-reads the fence; if another epoch raised it, stops the store and returns false. */
  private boolean fenceHolds() throws IOException {
    long fence = Fence.read(store.options.dir());
    if (fence != epoch) {
      store.fenced(fence);
      return false;
    }
    return true;
  }

  private void finish() {
    try {
      long batch = ++index.maxBatch;
      append(store.meta, new Records.CleanBody(index.maxMessageId), batch, 1);
      if (forceAllAndCheckFence()) {
        LOG.info("store closed cleanly at batch " + batch);
      }
    } catch (IOException e) {
      LOG.warning("store close: cannot record the clean shutdown: " + e);
    }
  }
}
