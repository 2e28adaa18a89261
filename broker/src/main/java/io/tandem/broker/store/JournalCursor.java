package io.tandem.broker.store;

import java.io.IOException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Walks one journal's valid frames in order, segment by segment. While following, the newest
 * segment is read as far as its frames are whole and read on from there next time; a segment is
 * read to its end (as a full recovery reads it) once the one after it holds a frame, since the
 * writer appends to a new segment only after it gave up the last.
 */
final class JournalCursor {
  final Journal journal;
  List<Segment> segments;

  /** Segments read to their end, and the one being read. */
  final Set<Segment> taken = new HashSet<>();

  Segment segment;
  Segment lastTaken;
  SegmentHeader header;
  long readTo;
  Segment framesFrom;
  Iterator<SegmentScan.Located> frames = List.<SegmentScan.Located>of().iterator();
  SegmentScan.Located head;
  Segment headSegment;
  StoreIndex.BatchId dryMark = new StoreIndex.BatchId(0, 0);

  private final Reader reader;

  JournalCursor(Journal journal, Reader reader) {
    this.journal = journal;
    this.reader = reader;
    this.segments = journal.segments();
  }

  boolean advance() throws IOException {
    while (!frames.hasNext()) {
      if (!readMore()) {
        head = null;
        return false;
      }
    }
    head = frames.next();
    headSegment = framesFrom;
    reader.seen(head.frame());
    return true;
  }

  /** The first listed segment not yet taken, or null. */
  private Segment untaken() {
    for (Segment s : segments) {
      if (!taken.contains(s)) {
        return s;
      }
    }
    return null;
  }

  /**
   * The first listed segment not yet taken, or null. While following, the journal is listed again
   * before null is answered: the writer may have created a segment since the last listing, and a
   * cursor is read dry only after everything written before the newest frame seen.
   */
  private Segment nextSegment() throws IOException {
    Segment s = untaken();
    if (s == null && reader.following() && reader.relist(this)) {
      s = untaken();
    }
    if (s != null && lastTaken != null && before(s, lastTaken)) {
      // a segment not read although a later one was: what was applied may miss its records
      reader.lose(
          journal.name
              + "/"
              + s.path.getFileName()
              + " was not read before the later "
              + lastTaken.path.getFileName());
      return null;
    }
    return s;
  }

  /** Where the cursor is, for the line that says why a follower lost track. */
  String describe() {
    Segment next = untaken();
    return journal.name
        + " at "
        + (segment == null ? "-" : segment.path.getFileName() + "@" + readTo)
        + ", last taken "
        + (lastTaken == null ? "-" : lastTaken.path.getFileName())
        + ", "
        + taken.size()
        + " of "
        + segments.size()
        + " listed taken, next "
        + (next == null ? "-" : next.path.getFileName());
  }

  private static boolean before(Segment a, Segment b) {
    return a.epoch != b.epoch ? a.epoch < b.epoch : a.seq < b.seq;
  }

  /** Puts the next frames in {@code frames}; false if there are none (yet). */
  private boolean readMore() throws IOException {
    while (true) {
      if (segment == null) {
        segment = nextSegment();
        if (segment == null) {
          return false;
        }
        taken.add(segment);
        lastTaken = segment;
        header = null;
        readTo = 0;
      }
      if (!reader.following() || reader.limitOf(segment.id(journal.name), segment.epoch) >= 0) {
        if (readRest()) {
          return true;
        }
        continue;
      }
      if (header == null) {
        header =
            reader.io().call("store follower: reading " + segment.path, () -> headerOf(segment));
      }
      if (header != null) {
        long from = readTo == 0 ? SegmentHeader.SIZE : readTo;
        Segment s = segment;
        SegmentHeader h = header;
        SegmentScan scan =
            reader
                .io()
                .call(
                    "store follower: reading " + s.path,
                    () -> SegmentScan.following(s, h, from, FOLLOW_CHUNK));
        if (!scan.frames.isEmpty()) {
          readTo = scan.validEnd;
          segment.validEnd = readTo;
          framesFrom = segment;
          frames = scan.frames.iterator();
          return true;
        }
      }
      Segment after = nextSegment();
      if (after == null || !holdsFrame(after)) {
        return false;
      }
      if (readRest()) {
        return true;
      }
    }
  }

  /** Reads what is left of the current segment to its end and moves past it. */
  private boolean readRest() throws IOException {
    SegmentScan scan = reader.scan(journal, segment, readTo == 0 ? null : header, readTo);
    framesFrom = segment;
    segment = null;
    frames = scan.frames.iterator();
    return frames.hasNext();
  }

  /**
   * Takes a new listing: false if a segment that may hold records not yet read is gone from it.
   * Compaction deletes only a journal's oldest segment, so a segment after the one taken last that
   * is gone while that one remains was a preallocated segment given up unused.
   */
  boolean relist(List<Segment> now) {
    if (segment != null && !now.contains(segment)) {
      return false;
    }
    boolean lastRemains = lastTaken != null && now.contains(lastTaken);
    for (Segment s : segments) {
      if (!taken.contains(s) && !now.contains(s) && !lastRemains) {
        return false;
      }
    }
    segments = now;
    taken.retainAll(new HashSet<>(now));
    return true;
  }

  /** How much of a followed segment one read takes, so the zeros ahead are not read every pass. */
  private static final int FOLLOW_CHUNK = 4 << 20;

  private static SegmentHeader headerOf(Segment s) throws IOException {
    return SegmentScan.header(s).orElse(null);
  }

  private boolean holdsFrame(Segment s) throws IOException {
    return reader
        .io()
        .call(
            "store follower: reading " + s.path,
            () -> {
              SegmentHeader h = headerOf(s);
              return h != null
                  && !SegmentScan.following(s, h, SegmentHeader.SIZE, 1).frames.isEmpty();
            });
  }

  /** What the cursor needs from the recovery that merges it. */
  interface Reader {
    /** Whether another process may still be writing. */
    boolean following();

    /** How far a segment may be read (see Recovery's limits); -1 for all of it. */
    long limitOf(Segment.Id segment, long segmentEpoch);

    /** Reads a segment to its end, or its rest after {@code from} when {@code header} is known. */
    SegmentScan scan(Journal j, Segment s, SegmentHeader header, long from) throws IOException;

    /** Marks each read for the watchdog. */
    StoreIo io();

    /** A frame was read. */
    void seen(Frame f);

    /** Lists the cursor's journal again; false if the follower lost track. */
    boolean relist(JournalCursor c) throws IOException;

    /** What the cursor read cannot be trusted: a full recovery is needed. */
    void lose(String why);
  }
}
