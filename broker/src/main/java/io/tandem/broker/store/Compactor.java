package io.tandem.broker.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.logging.Logger;

/**
 * Reclaims space online, on the writer thread between group commits, a bounded amount of work per
 * round so producers are never paused for long. A message journal gives up its oldest segment:
 * messages still live there are copied to the active segment first. Deleting only the oldest keeps
 * every REMOVE record behind the ADD it cancels. Before a segment is deleted every journal is
 * flushed, a CHECKPOINT goes to meta (batches up to it are complete, even if compaction removes
 * some of their records) and the fence is checked. Meta is compacted by writing a snapshot of its
 * state and deleting the segments before it.
 */
final class Compactor {
  private static final Logger LOG = Logger.getLogger(Compactor.class.getName());
  private static final long COPY_BUDGET = 4L * 1024 * 1024;
  private static final int DUPLICATES_PER_RECORD = 10_000;

  private final JournalStore store;
  private final Committer committer;
  private boolean rewriteOld;
  private Evacuation current;
  private long metaAtSnapshot;
  private long lastSnapshotBytes;
  private boolean snapshotTooLarge;

  Compactor(JournalStore store, Committer committer, boolean rewriteOldSegments) {
    this.store = store;
    this.committer = committer;
    this.rewriteOld = rewriteOldSegments;
  }

  /** Whether a round would do something now, so the writer should not sleep. */
  boolean hasWork() {
    return current != null || rewriteOld;
  }

  /**
   * One round of work; never throws. A round that could not get a segment on a full disk wrote
   * nothing and is retried later; any other failure (a failed write, flush or fence read, a record
   * that does not decode) leaves the journals in an unknown state and stops the store.
   */
  void step() {
    try {
      if (rewriteOld && current == null) {
        rewriteOld = hasOldSegments();
      }
      if (current == null) {
        current = pick(store.sync);
      }
      if (current == null) {
        current = pick(store.async);
      }
      if (current != null && current.run()) {
        current = null;
      }
      if (current == null) {
        maybeSnapshotMeta();
      }
    } catch (Segment.NothingWritten e) {
      if (!StoreErrors.isNoSpace(e)) {
        store.failed(StoreErrors.fatal("compaction failed", e));
        return;
      }
      LOG.warning("compaction paused, the disk is full (retried later): " + e.getMessage());
      current = null;
    } catch (IOException | RuntimeException e) {
      current = null;
      store.failed(StoreErrors.fatal("compaction failed", e));
    }
  }

  private Evacuation pick(Journal j) throws IOException {
    List<Segment> segments = j.segments();
    if (segments.isEmpty() || segments.get(0) == j.active()) {
      return null;
    }
    Segment oldest = segments.get(0);
    long total = 0;
    long live = 0;
    for (Segment s : segments) {
      total += s.fileSize();
      live += s.liveBytes;
    }
    boolean worth =
        oldest.liveMessages == 0
            || total > 2 * live + 2 * store.options.minimumSize()
            || (rewriteOld && oldest.epoch < store.options.epoch());
    return worth ? new Evacuation(j, oldest) : null;
  }

  private boolean hasOldSegments() {
    for (Journal j : store.journals) {
      for (Segment s : j.segments()) {
        if (s.epoch < store.options.epoch()) {
          return true;
        }
      }
    }
    return false;
  }

  /** Copies the live messages of one segment forward, then deletes it. */
  private final class Evacuation {
    final Journal journal;
    final Segment segment;
    final Iterator<SegmentScan.Located> frames;
    final List<DuplicateWindow.Id> duplicates = new ArrayList<>();
    long copied;

    Evacuation(Journal journal, Segment segment) throws IOException {
      this.journal = journal;
      this.segment = segment;
      long limit = store.index.limits.getOrDefault(segment.id(journal.name), -1L);
      this.frames = SegmentScan.of(segment, limit).frames.iterator();
    }

    /** Does up to a budget of copying; true when the segment is gone (or given up). */
    boolean run() throws IOException {
      long budget = COPY_BUDGET;
      while (frames.hasNext() && budget > 0) {
        SegmentScan.Located l = frames.next();
        if (l.frame().type() == RecordType.ADD) {
          budget -= copy(l, (Records.AddBody) Records.decode(l.frame()));
        }
      }
      if (frames.hasNext()) {
        return false;
      }
      return finish();
    }

    private long copy(SegmentScan.Located l, Records.AddBody a) throws IOException {
      StoreIndex index = store.index;
      if (a.dupKey() != null && index.window.contains(a.dupKey(), a.producerId())) {
        duplicates.add(new DuplicateWindow.Id(a.dupKey(), a.producerId()));
      }
      StoreIndex.Entry e = index.messages.get(a.messageId());
      if (e == null || e.location.segment() != segment || e.location.offset() != l.offset()) {
        return 0;
      }
      journal.ensureRoom(l.length(), journal.reserve());
      long batch = ++index.maxBatch;
      Records.AddBody fresh =
          new Records.AddBody(
              a.messageId(),
              a.expiresAt(),
              List.copyOf(e.refs),
              a.dupKey(),
              a.producerId(),
              a.data());
      StoreIndex.Entry moved =
          new StoreIndex.Entry(a.messageId(), a.expiresAt(), e.refs, a.dupKey(), a.producerId());
      moved.location = committer.append(journal, fresh, batch, 1);
      moved.addBatch = batch;
      index.put(moved);
      copied++;
      return l.length();
    }

    private boolean finish() throws IOException {
      StoreIndex index = store.index;
      for (int from = 0; from < duplicates.size(); from += DUPLICATES_PER_RECORD) {
        List<DuplicateWindow.Id> part =
            duplicates.subList(from, Math.min(duplicates.size(), from + DUPLICATES_PER_RECORD));
        committer.append(store.meta, new Records.DuplicatesBody(part), ++index.maxBatch, 1);
      }
      writeCheckpoint();
      if (!committer.forceAllAndCheckFence()) {
        return true;
      }
      if (segment.liveMessages > 0) {
        LOG.warning(segment + " still holds " + segment.liveMessages + " live messages; kept");
        return true;
      }
      journal.delete(segment);
      index.limits.remove(segment.id(journal.name));
      LOG.fine(() -> "compacted " + segment + ": " + copied + " live messages copied forward");
      return true;
    }
  }

  private void writeCheckpoint() throws IOException {
    StoreIndex index = store.index;
    long upTo = index.maxBatch;
    committer.append(
        store.meta,
        new Records.CheckpointBody(upTo, index.maxMessageId, List.copyOf(index.aborted)),
        ++index.maxBatch,
        1);
  }

  /** Rewrites meta's state into a fresh segment when meta has grown well past the last one. */
  private void maybeSnapshotMeta() throws IOException {
    Journal meta = store.meta;
    long total = 0;
    for (Segment s : meta.segments()) {
      total += s.fileSize();
    }
    long segment = JournalStore.metaSegmentSize(store.options.minimumSize());
    boolean old =
        rewriteOld && meta.segments().stream().anyMatch(s -> s.epoch < store.options.epoch());
    if (meta.segments().size() < 2
        || (!old && total - metaAtSnapshot < Math.max(2 * segment, 2 * lastSnapshotBytes))) {
      return;
    }
    if (snapshotTooLarge) {
      return;
    }
    List<Segment> before = meta.segments();
    List<Records.Body> snapshot = snapshotRecords();
    long bytes = 0;
    for (Records.Body b : snapshot) {
      bytes += Frame.HEADER + Records.encode(b).length;
    }
    if (bytes > StoreOptions.MAX_BATCH_BYTES) {
      // one batch is what recovery can read; meta then just keeps growing, which is safe
      LOG.warning("meta.db snapshot of " + bytes + " bytes is too large for one batch; not taken");
      snapshotTooLarge = true;
      return;
    }
    meta.roll(bytes);
    long batch = ++store.index.maxBatch;
    for (Records.Body b : snapshot) {
      committer.append(meta, b, batch, snapshot.size());
    }
    if (!committer.forceAllAndCheckFence()) {
      return;
    }
    for (Segment s : before) {
      meta.delete(s);
      store.index.limits.remove(s.id(meta.name));
    }
    lastSnapshotBytes = 0;
    for (Segment s : meta.segments()) {
      lastSnapshotBytes += s.fileSize();
    }
    metaAtSnapshot = lastSnapshotBytes;
    LOG.fine(() -> "meta compacted: " + before.size() + " segments replaced by a snapshot");
  }

  private List<Records.Body> snapshotRecords() {
    StoreIndex index = store.index;
    List<Records.Body> out = new ArrayList<>();
    List<Records.SegmentLimit> limits = new ArrayList<>();
    for (Journal j : store.journals) {
      for (Segment s : j.segments()) {
        Long limit = index.limits.get(s.id(j.name));
        if (limit != null && j != store.meta) {
          limits.add(new Records.SegmentLimit(j.name, s.path.getFileName().toString(), limit));
        }
      }
    }
    out.add(new Records.LimitsBody(false, index.maxMessageId, limits));
    index.subscriptions.values().forEach(s -> out.add(new Records.SubscriptionBody(s.record())));
    index.tombstones.forEach((k, at) -> out.add(new Records.DeleteBody(k, at)));
    List<DuplicateWindow.Id> dups = index.window.entries();
    for (int from = 0; from < dups.size(); from += DUPLICATES_PER_RECORD) {
      out.add(
          new Records.DuplicatesBody(
              dups.subList(from, Math.min(dups.size(), from + DUPLICATES_PER_RECORD))));
    }
    out.add(
        new Records.CheckpointBody(index.maxBatch, index.maxMessageId, List.copyOf(index.aborted)));
    return out;
  }
}
