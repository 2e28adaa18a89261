package io.tandem.broker.store;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
final class Recovery implements JournalCursor.Reader {
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
  private final ReadCost cost = new ReadCost();

  /** A full recovery's reader of the segments ahead of the one applied; null while following. */
  private SegmentPrefetch prefetch;

  /** JournalCursors with a frame to merge, by that frame's epoch and batch. */
  private final PriorityQueue<JournalCursor> heads =
      new PriorityQueue<>(
          (a, b) ->
              StoreIndex.BatchId.order(
                  a.head.frame().epoch(),
                  a.head.frame().batch(),
                  b.head.frame().epoch(),
                  b.head.frame().batch()));

  /** JournalCursors that have read all there is (for now, while following). */
  private final List<JournalCursor> dry = new ArrayList<>();

  /** Records read and not yet applied, by batch: a batch waits here until it is settled. */
  private final TreeMap<StoreIndex.BatchId, List<Read>> pending = new TreeMap<>();

  /** The newest epoch and batch of any frame read so far. */
  private StoreIndex.BatchId newest = new StoreIndex.BatchId(0, 0);

  /** Whether another process may still be writing: see {@link #follow}. */
  private boolean following;

  /** The newest epoch with a segment when following began; a newer one means starting over. */
  private long followedEpoch;

  /** Whether this recovery followed a writer, and so checks the order of what it applies. */
  private boolean followed;

  /** The last batch applied, for the order check of a follower. */
  private StoreIndex.BatchId lastApplied;

  private boolean outOfOrder;

  /** Why following can no longer be trusted, once it cannot; then a full recovery is needed. */
  private String lost;

  Recovery(Path store, List<Journal> journals, boolean force, int dupWindow) {
    this.store = store;
    this.journals = journals;
    this.force = force;
    this.index = new StoreIndex(dupWindow);
    this.indexApply = new IndexApply(index, IndexApply.Mode.RECOVERY);
  }

  /** Has {@code p} prepare each message body as it is read (see {@link StoreFollower.Preparer}). */
  Recovery prepareWith(StoreFollower.Preparer p) {
    indexApply.prepareWith(p);
    return this;
  }

  /** Marks each directory listing and segment read on {@code tracker}, for the watchdog. */
  Recovery watchedBy(StoreIo tracker) {
    this.io = tracker;
    return this;
  }

  /** Reads everything; throws STORE_CORRUPT for corruption before a tail unless forced. */
  Recovery run() {
    try {
      begin();
      prefetch = new SegmentPrefetch(io, journals, (j, s) -> limitOf(s.id(j.name), s.epoch));
      merge();
      finish();
      LOG.info("store read: " + cost.describe());
    } catch (IOException e) {
      throw StoreErrors.io("cannot read store " + store, e);
    } finally {
      if (prefetch != null) {
        prefetch.close();
      }
    }
    return this;
  }

  /**
   * Starts reading a store that another process is writing, without the lock: as far as its records
   * are whole, batch by batch, in the order they were written (see {@link #merge}). Call {@link
   * #poll} to read on and {@link #complete} once the writer has stopped (the fence is raised).
   * False if the store could not be read ({@link #lost} says why).
   */
  boolean follow() {
    following = true;
    followed = true;
    try {
      begin();
      for (Journal j : journals) {
        for (Segment s : j.segments()) {
          followedEpoch = Math.max(followedEpoch, s.epoch);
        }
      }
      merge();
    } catch (IOException | BrokerException e) {
      lose("the store could not be read: " + e.getMessage());
    }
    return lost == null;
  }

  /**
   * Reads what was written since the last pass. False once the follower cannot explain what it sees
   * (a newer epoch began writing, a segment was deleted before it was read to its end, a read
   * failed): then only a full recovery gives the store's state.
   */
  boolean poll() {
    if (lost != null) {
      return false;
    }
    try {
      refresh();
      if (lost == null) {
        merge();
      }
    } catch (IOException | BrokerException e) {
      lose("a read failed: " + e.getMessage());
    }
    return lost == null;
  }

  /**
   * The writer has stopped (this process raised the fence): reads the rest of every journal as a
   * full recovery would, then resolves what is left. False if the follower lost track; then run a
   * full recovery instead.
   */
  boolean complete() {
    if (!poll()) {
      return false;
    }
    following = false;
    try {
      refresh();
      if (lost != null) {
        return false;
      }
      merge();
      if (lost != null) {
        return false;
      }
      finish();
    } catch (IOException | BrokerException e) {
      // the full recovery that follows reads the store again and reports what is wrong
      lose("the last read failed: " + e.getMessage());
      return false;
    }
    files.clear();
    for (Journal j : journals) {
      noteFiles(j, j.segments());
    }
    return true;
  }

  /** The journals read, whose segments the index's locations name. */
  List<Journal> journals() {
    return journals;
  }

  /** Why following lost track, or null. */
  String lost() {
    return lost;
  }

  @Override
  public void lose(String why) {
    if (!followed) {
      // a full recovery reads a fixed listing in order and never loses track; if it did, stopping
      // short would drop records silently
      throw new IllegalStateException("recovery of " + store + " lost track: " + why);
    }
    if (lost == null) {
      lost = why;
      LOG.info("store follower starts over: " + why);
    }
  }

  private void begin() throws IOException {
    for (Journal j : journals) {
      noteFiles(j, list(j));
    }
    prescanMeta(journals.get(0));
    for (Journal j : journals) {
      dry.add(new JournalCursor(j, this));
    }
  }

  /**
   * Lists the journals again: new segments join their cursor; a deleted segment is fine only if the
   * cursor had read it to its end, and a segment of an epoch newer than the one followed means
   * another writer began (its limits may cut what was read).
   */
  private void refresh() throws IOException {
    for (JournalCursor c : allJournalCursors()) {
      if (!relist(c)) {
        return;
      }
    }
  }

  /**
   * Lists {@code c}'s journal again; false (and the follower lost track) if a segment it had not
   * read to its end is gone or one of a newer epoch appeared.
   */
  @Override
  public boolean relist(JournalCursor c) throws IOException {
    if (lost != null) {
      return false;
    }
    List<Segment> now = io.call("store follower: listing " + c.journal.dir, c.journal::refresh);
    for (Segment s : now) {
      if (s.epoch > followedEpoch && following) {
        lose(c.journal.name + "/" + s.path.getFileName() + " is of a newer epoch");
        return false;
      }
    }
    if (!c.relist(now)) {
      lose("a segment of " + c.journal.name + " was deleted before it was read to its end");
      return false;
    }
    return true;
  }

  /** Records the segments' sizes for the report. */
  private void noteFiles(Journal j, List<Segment> segments) {
    for (Segment s : segments) {
      files.put(j.name + "/" + s.path.getFileName(), s.fileSize());
    }
  }

  private List<JournalCursor> allJournalCursors() {
    List<JournalCursor> all = new ArrayList<>(dry);
    all.addAll(heads);
    return all;
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
        learn(f.epoch(), c);
      }
    }
  }

  /** What a checkpoint of {@code epoch} says: batches complete up to it, and those aborted. */
  private void learn(long epoch, Records.CheckpointBody c) {
    checkpoints.merge(epoch, c.completeUpTo(), Math::max);
    index.aborted.addAll(c.aborted());
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
  @Override
  public long limitOf(Segment.Id segment, long segmentEpoch) {
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

  /**
   * Applies batches in the order they were written, by epoch and then batch id (ids are unique
   * within an epoch only: a fenced writer numbers on where a newer epoch does too).
   *
   * <p>While another process writes, a batch is applied only once nothing of it or before it can
   * still appear. The writer appends batch after batch, so when a frame of batch B has been read,
   * every batch before B was whole on disk: a journal read dry after that ({@link
   * JournalCursor#dryMark}) holds all its records of batches before B. A batch is applied when
   * every dry journal was read after the batch began and the batch is whole, or after a later batch
   * began (then a batch that is still not whole never will be, and is dropped as a full recovery
   * would).
   */
  private void merge() throws IOException {
    wake(c -> true);
    while (lost == null) {
      take();
      if (pending.isEmpty()) {
        return;
      }
      Map.Entry<StoreIndex.BatchId, List<Read>> first = pending.firstEntry();
      StoreIndex.BatchId id = first.getKey();
      List<Read> group = first.getValue();
      int expected = group.get(0).located.frame().batchRecords();
      if (following && !settled(id, group.size(), expected)) {
        // a journal read dry before this batch began may hold more of it, or an earlier batch
        if (wake(c -> c.dryMark.compareTo(id) <= 0) || settled(id, group.size(), expected)) {
          continue;
        }
        return;
      }
      pending.remove(id);
      if (followed && !inOrder(id, group.size(), expected)) {
        return;
      }
      applyGroup(id, group);
      if (lost != null) {
        return;
      }
    }
  }

  /**
   * Whether a batch about to be applied fits the order a follower relies on: each batch after the
   * last one applied, and a batch of the epoch being written whole once later batches were on disk
   * (a writer whose write failed stops writing). Otherwise the file system showed another process's
   * appends out of order, as an NFS client's caches may, and following this store cannot be
   * trusted.
   */
  private boolean inOrder(StoreIndex.BatchId id, int present, int expected) {
    String why = null;
    if (lastApplied != null && id.compareTo(lastApplied) <= 0) {
      why = "batch " + id + " was read after batch " + lastApplied;
    } else if (following
        && id.epoch() >= followedEpoch
        && present < expected
        && id.batch() > checkpointFor(id.epoch())
        && !index.aborted.contains(id)) {
      why = "batch " + id + " had " + present + " of " + expected + " records after later batches";
    }
    if (why != null) {
      StringBuilder where = new StringBuilder();
      for (JournalCursor c : allJournalCursors()) {
        where.append("; ").append(c.describe());
      }
      why += where;
      outOfOrder = true;
      lose("the store's file system showed its writer's appends out of order: " + why);
      return false;
    }
    lastApplied = id;
    return true;
  }

  /** Whether following stopped because the file system showed appends out of order. */
  boolean outOfOrder() {
    return outOfOrder;
  }

  /**
   * Moves the frames of the oldest batch in the cursors' heads into {@link #pending}, each cursor
   * read on past them, so that a batch's consecutive records in one journal join one group; a batch
   * older than every pending one goes first.
   */
  private void take() throws IOException {
    while (!heads.isEmpty()) {
      Frame f = heads.peek().head.frame();
      StoreIndex.BatchId id = new StoreIndex.BatchId(f.epoch(), f.batch());
      if (!pending.isEmpty() && id.compareTo(pending.firstKey()) > 0) {
        return;
      }
      JournalCursor c = heads.poll();
      pending
          .computeIfAbsent(id, k -> new ArrayList<>())
          .add(new Read(c.journal, c.headSegment, c.head));
      advanceOrDry(c);
    }
  }

  /** Whether batch {@code id}, with {@code present} of its records read, can be applied now. */
  private boolean settled(StoreIndex.BatchId id, int present, int expected) {
    boolean whole = present >= expected || id.batch() <= checkpointFor(id.epoch());
    for (JournalCursor c : dry) {
      int mark = c.dryMark.compareTo(id);
      if (mark < 0 || (mark == 0 && !whole)) {
        return false;
      }
    }
    return true;
  }

  /** Reads on in the dry cursors {@code which} accepts; true if any of them found a frame. */
  private boolean wake(java.util.function.Predicate<JournalCursor> which) throws IOException {
    boolean found = false;
    for (JournalCursor c : new ArrayList<>(dry)) {
      if (which.test(c)) {
        dry.remove(c);
        found |= advanceOrDry(c);
      }
    }
    return found;
  }

  private boolean advanceOrDry(JournalCursor c) throws IOException {
    if (c.advance()) {
      heads.add(c);
      return true;
    }
    c.dryMark = newest;
    dry.add(c);
    return false;
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
      if (following && !knownWhileFollowing(r.located.frame(), body)) {
        return;
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

  /**
   * Whether a record read while following fits what the follower knows: limits of an epoch it did
   * not know when it began mean another writer recovered the store and may have cut what was read.
   * A checkpoint's aborted batches are learnt as a full recovery learns them before the merge.
   */
  private boolean knownWhileFollowing(Frame f, Records.Body body) {
    if (body instanceof Records.LimitsBody && !limitEpochs.contains(f.epoch())) {
      lose("epoch " + f.epoch() + " began writing");
      return false;
    }
    if (body instanceof Records.CheckpointBody c) {
      learn(f.epoch(), c);
    }
    return true;
  }

  /** Applies tombstones to everything read before them (recovery defers deletions to here). */
  private void finish() {
    if (index.tombstones.isEmpty()) {
      // no subscription was deleted: no reference to resolve, and no walk over every message
      return;
    }
    index.removeRefsIf((e, k) -> index.tombstones.getOrDefault(k, -1L) > e.addBatch);
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

  @Override
  public boolean following() {
    return following;
  }

  @Override
  public StoreIo io() {
    return io;
  }

  @Override
  public void seen(Frame f) {
    StoreIndex.BatchId id = new StoreIndex.BatchId(f.epoch(), f.batch());
    if (id.compareTo(newest) > 0) {
      newest = id;
    }
  }

  private List<Segment> list(Journal j) throws IOException {
    return io.call("recovery: listing " + j.dir, j::list);
  }

  private SegmentScan read(Segment s, long limit) throws IOException {
    SegmentScan ahead = prefetch == null ? null : prefetch.take(s, limit);
    return ahead != null
        ? ahead
        : io.call("recovery: reading " + s.path, () -> SegmentScan.of(s, limit));
  }

  /**
   * Reads a segment to its end, or its rest after {@code from} when {@code header} is known (a
   * follower read the part before), and reports what is torn, corrupt or beyond its limit.
   */
  @Override
  public SegmentScan scan(Journal j, Segment s, SegmentHeader header, long from)
      throws IOException {
    String key = s.key(j.name);
    long limit = limitOf(s.id(j.name), s.epoch);
    long t0 = System.nanoTime();
    SegmentScan scan =
        header == null
            ? read(s, limit)
            : io.call(
                "recovery: reading " + s.path, () -> SegmentScan.rest(s, header, from, limit));
    cost.read(t0, scan.validEnd - from);
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
            String.format(
                "torn tail in %s: %d bytes at offset %d truncated (a write cut off by a crash);"
                    + " %d bytes of valid records kept",
                key, p.bytes(), p.offset(), scan.validEnd));
      } else {
        corrupt(j, s, p.offset(), p.bytes());
      }
    }
    return scan;
  }
}
