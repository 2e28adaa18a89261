package io.tandem.broker.store;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import io.tandem.process.time.Clock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
  private final IndexApply indexApply;
  private final Compactor compactor;
  private final long epoch;
  private final Clock clock;
  private final long asyncFlushNanos;

  /** Deadlines on the clock's monotonic time, so a wall-clock step moves neither. */
  private long asyncFlushDue;

  private boolean asyncFlushPending;
  private long fenceCheckDue;
  private final AtomicLong flushes = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();

  Committer(JournalStore store, boolean rewriteOldSegments) {
    this.store = store;
    this.index = store.index;
    this.indexApply = new IndexApply(index, IndexApply.Mode.COMMIT);
    this.epoch = store.options.epoch();
    this.clock = store.options.clock();
    this.asyncFlushNanos = store.options.asyncFlushInterval().toNanos();
    this.fenceCheckDue = clock.nanos();
    this.compactor = new Compactor(store, this, rewriteOldSegments);
  }

  /** Records how much of every older segment this epoch recovered, before serving. */
  void startEpoch() throws IOException {
    List<Records.SegmentLimit> limits = new ArrayList<>();
    for (Journal j : store.journals) {
      for (Segment s : j.segments()) {
        if (s.epoch < epoch) {
          limits.add(new Records.SegmentLimit(j.name, s.path.getFileName().toString(), s.validEnd));
          index.limits.put(s.id(j.name), s.validEnd);
        }
      }
    }
    long batch = ++index.maxBatch;
    append(store.meta, new Records.LimitsBody(true, index.maxMessageId, limits), batch, 1);
    store.meta.force();
    OptionalLong moved = fenceMoved();
    if (moved.isPresent()) {
      // not serving yet: the open fails, no fence listener is told
      throw new BrokerException(
          Category.FENCED,
          "store fence moved to " + moved.getAsLong() + " while epoch " + epoch + " recovered");
    }
  }

  Journal.Location append(Journal j, Records.Body body, long batch, int batchRecords)
      throws IOException {
    return j.append(new Frame(body.type(), epoch, batch, batchRecords, Records.encode(body)));
  }

  /**
   * Runs until the queue's close signal (then commits what was queued before it and writes the
   * clean-shutdown record) or until the store is fenced or failed (then it returns at once).
   */
  void run(WriteQueue queue) {
    while (true) {
      WriteQueue.Group taken = next(queue);
      List<WriteQueue.Pending> group = taken.batches();
      boolean closing = taken.closing();
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

  /** Waits for work until the next deadline (not at all while compaction has work). */
  private WriteQueue.Group next(WriteQueue queue) {
    long now = clock.nanos();
    if (compactor.hasWork()) {
      return queue.take(now);
    }
    long wait = fenceCheckDue - now;
    if (asyncFlushPending) {
      wait = Math.min(wait, asyncFlushDue - now);
    }
    return queue.take(now + Math.max(0, wait));
  }

  private void commit(List<WriteQueue.Pending> group) {
    List<Written> written = new ArrayList<>(group.size());
    Set<Journal> toForce = new HashSet<>();
    for (WriteQueue.Pending p : group) {
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
    long flushStart = clock.nanos();
    try {
      for (Journal j : toForce) {
        j.force();
      }
      if (!toForce.isEmpty()) {
        flushes.incrementAndGet();
      }
      OptionalLong moved = fenceMoved();
      if (moved.isPresent()) {
        BrokerException f = store.refusal(JournalStore.State.FENCED);
        written.forEach(w -> w.pending().future().completeExceptionally(f));
        store.fenced(moved.getAsLong());
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
      asyncFlushDue = clock.nanos() + asyncFlushNanos;
    }
    batches.addAndGet(written.size());
    store.commitObserver.committed(
        written.size(), toForce.isEmpty() ? 0 : clock.nanos() - flushStart);
    for (Written w : written) {
      applyToIndex(w);
      w.pending().future().complete(null);
    }
  }

  /** A batch whose records are appended, with what the index must learn once it is committed. */
  private record Written(
      WriteQueue.Pending pending,
      long batch,
      Set<Journal> journals,
      List<Planned> records,
      List<Journal.Location> locations) {}

  /** One record of a batch and the journal it goes to. */
  private record Planned(Journal journal, Records.Body body) {}

  /** Appends one batch; null if it failed (its future is then failed) or had nothing to write. */
  private Written write(WriteQueue.Pending p) {
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
  private Written refused(WriteQueue.Pending p) {
    p.future().completeExceptionally(store.refusal(store.state()));
    return null;
  }

  private void fail(WriteQueue.Pending p, BrokerException e) {
    LOG.warning("store write failed: " + e.getMessage());
    p.future().completeExceptionally(e);
    if (e.category() != Category.DISK_FULL) {
      store.failed(e);
    }
  }

  /** A batch recovery could not read back is refused before any byte of it is written. */
  private void refuseTooLarge(WriteQueue.Pending p, long bytes) {
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
      indexApply.apply(w.records().get(i).body(), w.batch(), w.locations().get(i));
    }
  }

  /**
   * An idle writer still notices a moved fence within {@link #FENCE_CHECK_INTERVAL_MS}, so a broker
   * whose store another activator took stops serving even when no client writes. False if fenced.
   */
  private boolean checkFenceIfDue() {
    long now = clock.nanos();
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
    if (!asyncFlushPending || clock.nanos() - asyncFlushDue < 0) {
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
    OptionalLong moved = fenceMoved();
    moved.ifPresent(store::fenced);
    return moved.isEmpty();
  }

  /**
   * The one fence check, for every caller: the epoch start, each group commit, the idle check and
   * compaction before it deletes files. Re-reads {@code fence}; empty while it still holds this
   * epoch, else the epoch it holds now. What a moved fence means is the caller's: the open fails, a
   * group fails whole, the store stops.
   */
  private OptionalLong fenceMoved() throws IOException {
    long fence = Fence.read(store.options.dir());
    return fence == epoch ? OptionalLong.empty() : OptionalLong.of(fence);
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
