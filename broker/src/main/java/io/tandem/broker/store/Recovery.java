package io.tandem.broker.store;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * Reads the three journals back. Meta is scanned first for segment limits (how much of an older
 * epoch's segment its successor recovered; anything a fenced writer added later is ignored) and
 * checkpoints. Then the journals are merged by batch id, and a batch is applied only if all its
 * records are present, or if a checkpoint says it was complete before compaction removed some.
 */
final class Recovery {
  private static final Logger LOG = Logger.getLogger(Recovery.class.getName());

  private final Path store;
  private final List<Journal> journals;
  private final boolean force;
  final StoreIndex index;
  private final IndexApply indexApply;
  final List<StoreReport.Problem> problems = new ArrayList<>();
  final Map<String, Long> recordsByType = new TreeMap<>();
  final TreeSet<Long> epochs = new TreeSet<>();
  final Map<String, Long> files = new TreeMap<>();
  private final Map<Segment.Id, Long> observed = new HashMap<>();
  private final TreeSet<Long> limitEpochs = new TreeSet<>();
  private final TreeMap<Long, Long> checkpoints = new TreeMap<>();
  boolean clean = true;
  private StoreIo io = StoreIo.system();

  Recovery(Path store, List<Journal> journals, boolean force, int dupWindow) {
    this.store = store;
    this.journals = journals;
    this.force = force;
    this.index = new StoreIndex(dupWindow);
    this.indexApply = new IndexApply(index, IndexApply.Mode.RECOVERY);
  }

  /** Marks each directory listing and segment read on {@code tracker}, for the watchdog. */
  Recovery watchedBy(StoreIo tracker) {
    this.io = tracker;
    return this;
  }

  /** Reads everything; throws STORE_CORRUPT for corruption before a tail unless forced. */
  Recovery run() {
    try {
      for (Journal j : journals) {
        for (Segment s : list(j)) {
          files.put(j.name + "/" + s.path.getFileName(), s.fileSize());
        }
      }
      prescanMeta(journals.get(0));
      merge();
    } catch (IOException e) {
      throw StoreErrors.io("cannot read store " + store, e);
    }
    return this;
  }

  /**
   * Reads meta's limits and checkpoints, newest epoch first: a segment of epoch E is read only as
   * far as the limits that newer epochs recorded allow, so the records of a fenced writer that a
   * newer epoch did not recover (its late segments, or what it appended beyond a limit) never
   * count, not even its own limits and checkpoints.
   */
  private void prescanMeta(Journal meta) throws IOException {
    TreeMap<Long, List<Segment>> byEpoch = new TreeMap<>();
    for (Segment s : meta.segments()) {
      byEpoch.computeIfAbsent(s.epoch, e -> new ArrayList<>()).add(s);
    }
    for (List<Segment> segments : byEpoch.descendingMap().values()) {
      for (Segment s : segments) {
        long limit = limitOf(s.id(meta.name), s.epoch);
        for (SegmentScan.Located l : read(s, limit).frames) {
          prescan(l.frame());
        }
      }
    }
    long max = 0;
    for (Map.Entry<Long, Long> c : checkpoints.descendingMap().entrySet()) {
      max = Math.max(max, c.getValue());
      c.setValue(max);
    }
  }

  private void prescan(Frame f) {
    RecordType t = f.type();
    if (t == RecordType.EPOCH_START || t == RecordType.LIMITS) {
      Records.LimitsBody body = (Records.LimitsBody) decodeQuietly(f);
      if (body != null) {
        limitEpochs.add(f.epoch());
        for (Records.SegmentLimit sl : body.limits()) {
          observe(sl, f.epoch());
        }
      }
    } else if (t == RecordType.CHECKPOINT) {
      Records.CheckpointBody c = (Records.CheckpointBody) decodeQuietly(f);
      if (c != null) {
        checkpoints.merge(f.epoch(), c.completeUpTo(), Math::max);
        index.aborted.addAll(c.aborted());
      }
    }
  }

  /** Records a newer epoch's view of an older segment; a record naming a newer one is ignored. */
  private void observe(Records.SegmentLimit sl, long byEpoch) {
    java.util.Optional<Segment> named = Segment.existing(Path.of(sl.segment()));
    if (named.isEmpty() || named.get().epoch >= byEpoch) {
      return;
    }
    observed.merge(new Segment.Id(sl.journal(), sl.segment()), sl.validEnd(), Math::min);
  }

  /**
   * How far a segment of {@code segmentEpoch} may be read: the shortest valid length a newer epoch
   * recorded for it; 0 (nothing) if a newer epoch recorded limits without naming it, since then the
   * segment was created after that epoch had begun (DESIGN rule 3); -1 (all of it) if no newer
   * epoch recorded limits yet.
   */
  private long limitOf(Segment.Id segment, long segmentEpoch) {
    Long named = observed.get(segment);
    if (named != null) {
      return named;
    }
    return limitEpochs.higher(segmentEpoch) != null ? 0 : -1;
  }

  /** The highest batch id a checkpoint of this epoch or a newer one says is complete. */
  private long checkpointFor(long epoch) {
    Map.Entry<Long, Long> c = checkpoints.ceilingEntry(epoch);
    return c == null ? 0 : c.getValue();
  }

  private static Records.Body decodeQuietly(Frame f) {
    try {
      return Records.decode(f);
    } catch (BrokerException e) {
      return null;
    }
  }

  private void merge() throws IOException {
    // ids are unique within an epoch only: a fenced writer numbers on where a newer epoch does too
    PriorityQueue<Cursor> heads =
        new PriorityQueue<>(
            Comparator.comparingLong((Cursor c) -> c.head.frame().epoch())
                .thenComparingLong(c -> c.head.frame().batch()));
    for (Journal j : journals) {
      Cursor c = new Cursor(j);
      if (c.advance()) {
        heads.add(c);
      }
    }
    List<Read> group = new ArrayList<>();
    while (!heads.isEmpty()) {
      long epoch = heads.peek().head.frame().epoch();
      long batch = heads.peek().head.frame().batch();
      group.clear();
      while (!heads.isEmpty()
          && heads.peek().head.frame().batch() == batch
          && heads.peek().head.frame().epoch() == epoch) {
        Cursor c = heads.poll();
        group.add(new Read(c.journal, c.segment, c.head));
        if (c.advance()) {
          heads.add(c);
        }
      }
      applyGroup(new StoreIndex.BatchId(epoch, batch), group);
    }
    finish();
  }

  private void applyGroup(StoreIndex.BatchId id, List<Read> group) {
    long batch = id.batch();
    index.maxBatch = Math.max(index.maxBatch, batch);
    int expected = group.get(0).located.frame().batchRecords();
    boolean complete = group.size() >= expected || batch <= checkpointFor(id.epoch());
    if (!complete || index.aborted.contains(id)) {
      index.aborted.add(id);
      Read r = group.get(0);
      problems.add(
          new StoreReport.Problem(
              "incomplete-batch",
              r.segment.key(r.journal.name),
              r.located.offset(),
              r.located.length()));
      LOG.warning(
          "batch "
              + batch
              + " of epoch "
              + id.epoch()
              + " has "
              + group.size()
              + " of "
              + expected
              + " records (cut off by a crash or a failed write); none of it is applied");
      return;
    }
    clean = false;
    for (Read r : group) {
      epochs.add(r.located.frame().epoch());
      recordsByType.merge(r.located.frame().type().name(), 1L, Long::sum);
      Records.Body body;
      try {
        body = Records.decode(r.located.frame());
      } catch (BrokerException e) {
        corrupt(r.journal, r.segment, r.located.offset(), r.located.length());
        continue;
      }
      indexApply.apply(
          body,
          batch,
          new Journal.Location(r.journal, r.segment, r.located.offset(), r.located.length()));
      if (body instanceof Records.CleanBody) {
        clean = true;
      }
    }
  }

  /** Applies tombstones to everything read before them (recovery defers deletions to here). */
  private void finish() {
    List<Long> dead = new ArrayList<>();
    for (StoreIndex.Entry e : index.messages.values()) {
      e.refs.removeIf(k -> index.tombstones.getOrDefault(k, -1L) > e.addBatch);
      if (e.refs.isEmpty()) {
        dead.add(e.messageId);
      }
    }
    dead.forEach(index::drop);
    index
        .subscriptions
        .entrySet()
        .removeIf(s -> index.tombstones.getOrDefault(s.getKey(), -1L) > s.getValue().batch());
  }

  private void corrupt(Journal j, Segment s, long offset, long bytes) {
    String file = s.key(j.name);
    problems.add(new StoreReport.Problem("corrupt", file, offset, bytes));
    if (!force) {
      throw new BrokerException(
          Category.STORE_CORRUPT,
          "store "
              + store
              + " is corrupt: "
              + bytes
              + " bad bytes at offset "
              + offset
              + " of "
              + file
              + ", followed by valid records; refusing to start (--force-start skips bad"
              + " records and reports what was dropped)");
    }
    LOG.warning(
        "--force-start: dropped " + bytes + " corrupt bytes at offset " + offset + " of " + file);
  }

  /** A record read, with where it came from. */
  private record Read(Journal journal, Segment segment, SegmentScan.Located located) {}

  /** Walks one journal's valid frames in order, segment by segment. */
  private final class Cursor {
    final Journal journal;
    final Iterator<Segment> segments;
    Segment segment;
    Iterator<SegmentScan.Located> frames = List.<SegmentScan.Located>of().iterator();
    SegmentScan.Located head;

    Cursor(Journal journal) {
      this.journal = journal;
      this.segments = journal.segments().iterator();
    }

    boolean advance() throws IOException {
      while (!frames.hasNext()) {
        if (!segments.hasNext()) {
          return false;
        }
        segment = segments.next();
        frames = scan(journal, segment).frames.iterator();
      }
      head = frames.next();
      return true;
    }
  }

  private List<Segment> list(Journal j) throws IOException {
    return io.call("recovery: listing " + j.dir, j::list);
  }

  private SegmentScan read(Segment s, long limit) throws IOException {
    return io.call("recovery: reading " + s.path, () -> SegmentScan.of(s, limit));
  }

  private SegmentScan scan(Journal j, Segment s) throws IOException {
    String key = s.key(j.name);
    long limit = limitOf(s.id(j.name), s.epoch);
    SegmentScan scan = read(s, limit);
    s.validEnd = scan.validEnd;
    if (limit >= 0) {
      index.limits.put(s.id(j.name), limit);
    }
    if (limit == 0 && scan.ignoredBeyondLimit > 0) {
      problems.add(new StoreReport.Problem("ignored-segment", key, 0, scan.ignoredBeyondLimit));
      LOG.warning(
          "ignored "
              + key
              + " ("
              + scan.ignoredBeyondLimit
              + " bytes): epoch "
              + s.epoch
              + " created it after a newer epoch had begun (a fenced writer's late segment)");
    } else if (scan.ignoredBeyondLimit > 0) {
      LOG.info(
          "ignored "
              + scan.ignoredBeyondLimit
              + " bytes after offset "
              + limit
              + " of "
              + key
              + ": beyond what the next epoch recovered (a torn tail, or writes of epoch "
              + s.epoch
              + " after it was fenced)");
    }
    for (SegmentScan.Problem p : scan.problems) {
      if (p.tornTail()) {
        problems.add(new StoreReport.Problem("torn-tail", key, p.offset(), p.bytes()));
        LOG.warning(
            "torn tail in "
                + key
                + ": "
                + p.bytes()
                + " bytes at offset "
                + p.offset()
                + " truncated (a write cut off by a crash); "
                + scan.validEnd
                + " bytes of valid records kept");
      } else {
        corrupt(j, s, p.offset(), p.bytes());
      }
    }
    return scan;
  }

  /** The summary for operators. */
  StoreReport report() {
    Map<String, Long> live = new TreeMap<>();
    for (StoreIndex.Entry e : index.messages.values()) {
      e.refs.forEach(k -> live.merge(k, 1L, Long::sum));
    }
    return new StoreReport(
        files,
        recordsByType,
        List.copyOf(epochs),
        live,
        index.subscriptions.size(),
        List.copyOf(problems),
        clean,
        index.maxMessageId);
  }
}
