package io.tandem.broker.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One of the store's three journals ({@code meta.db}, {@code sync-msgs.db}, {@code async-msgs.db}):
 * a directory of segments read in (epoch, sequence) order. This epoch appends only to segments it
 * created itself.
 */
final class Journal {
  static final String META = "meta.db";
  static final String SYNC = "sync-msgs.db";
  static final String ASYNC = "async-msgs.db";

  final String name;
  final Path dir;
  private final long segmentSize;
  private final SegmentChannels io;
  private final List<Segment> segments = new ArrayList<>();
  private long epoch;
  private long nextSeq = 1;
  private Segment active;
  private Executor preallocator;
  private CompletableFuture<Segment> spare;
  boolean dirty;

  Journal(Path store, String name, long segmentSize) {
    this(store, name, segmentSize, SegmentChannels.SYSTEM);
  }

  Journal(Path store, String name, long segmentSize, SegmentChannels io) {
    this.name = name;
    this.dir = store.resolve(name);
    this.segmentSize = segmentSize;
    this.io = io;
  }

  /** Lists the segments on disk, oldest first. */
  List<Segment> list() throws IOException {
    segments.clear();
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.seg")) {
        for (Path p : files) {
          Segment.existing(p).ifPresent(segments::add);
        }
      }
    }
    segments.sort(Comparator.comparingLong((Segment s) -> s.epoch).thenComparingLong(s -> s.seq));
    return List.copyOf(segments);
  }

  /**
   * Lists the segments on disk again for a reader that follows another process's writes: segments
   * already known keep their objects (and what was learnt of them), new ones join, deleted ones go.
   */
  List<Segment> refresh() throws IOException {
    java.util.Map<Path, Segment> known = new java.util.HashMap<>();
    for (Segment s : segments) {
      known.put(s.path, s);
    }
    List<Segment> now = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.seg")) {
        for (Path p : files) {
          Segment.existing(p).ifPresent(s -> now.add(known.getOrDefault(p, s)));
        }
      }
    }
    now.sort(Comparator.comparingLong((Segment s) -> s.epoch).thenComparingLong(s -> s.seq));
    segments.clear();
    segments.addAll(now);
    return List.copyOf(segments);
  }

  /**
   * Prepares to write as {@code epoch}: new segments continue after any of the same epoch. The next
   * segment is preallocated on {@code preallocator} ahead of time, so a roll does not stall the
   * writer for the time it takes to write a segment's worth of zeros.
   */
  void startWriting(long epoch, Executor preallocator) throws IOException {
    this.epoch = epoch;
    this.preallocator = preallocator;
    if (!Files.isDirectory(dir)) {
      StoreFiles.createDirectories(dir);
      Segment.forceDirectory(io, dir.getParent());
    }
    for (Segment s : segments) {
      if (s.epoch == epoch) {
        nextSeq = Math.max(nextSeq, s.seq + 1);
      }
    }
  }

  List<Segment> segments() {
    return List.copyOf(segments);
  }

  Segment active() {
    return active;
  }

  /**
   * Appends one frame, rolling to a new preallocated segment when it does not fit. The frame is
   * encoded here, with the salt of the segment it goes to.
   */
  Location append(Frame frame) throws IOException {
    ensureRoom(frame.length());
    long offset = active.append(frame.encode(active.salt()));
    dirty = true;
    return new Location(this, active, offset, (int) (active.position() - offset));
  }

  /** Makes sure the active segment can take {@code bytes} more, creating one if needed. */
  void ensureRoom(long bytes) throws IOException {
    ensureRoom(bytes, 0);
  }

  /**
   * Like {@link #ensureRoom(long)} but leaves {@code reserve} bytes free in the active segment: new
   * messages are refused before acknowledgements, so consumers keep working on a full disk.
   */
  void ensureRoom(long bytes, long reserve) throws IOException {
    if (active != null && active.writable() && active.remaining() - reserve >= bytes) {
      return;
    }
    Segment next = takeSpare(bytes + reserve);
    if (next == null) {
      long capacity = Math.max(segmentSize, SegmentHeader.SIZE + bytes + reserve);
      next = Segment.create(io, dir, epoch, nextSeq, capacity);
      nextSeq++;
    }
    Segment old = active;
    active = next;
    segments.add(next);
    if (old != null) {
      if (old.writable() && dirty) {
        old.force();
      }
      old.seal();
    }
    prepareSpare();
  }

  private void prepareSpare() {
    if (preallocator == null) {
      return;
    }
    long seq = nextSeq++;
    spare =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return Segment.create(io, dir, epoch, seq, segmentSize);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            preallocator);
  }

  /**
   * The preallocated next segment if it is ready and big enough. A spare that failed (e.g. a full
   * disk) or is too small is given up, so the caller creates the segment itself and a failure
   * surfaces there; sequence numbers stay in write order either way.
   */
  private Segment takeSpare(long need) {
    CompletableFuture<Segment> f = spare;
    spare = null;
    if (f == null) {
      return null;
    }
    Segment s;
    try {
      s = f.join();
    } catch (RuntimeException e) {
      return null;
    }
    if (s.remaining() >= need) {
      return s;
    }
    discard(s);
    return null;
  }

  private void discard(Segment s) {
    try {
      s.seal();
      Files.deleteIfExists(s.path);
    } catch (IOException e) {
      // an unused, empty segment: recovery reads it as one without records
    }
  }

  /** Starts a new segment with room for {@code bytes}, sealing the active one. */
  void roll(long bytes) throws IOException {
    if (active != null && active.writable()) {
      if (dirty) {
        active.force();
        dirty = false;
      }
      active.seal();
    }
    ensureRoom(bytes);
  }

  /** Forces the active segment's data (not its metadata: the size never changes). */
  void force() throws IOException {
    if (dirty && active != null && active.writable()) {
      active.force();
    }
    dirty = false;
  }

  /** Gives up the active segment after a failed write; the next append starts a new one. */
  void abandonActive() {
    if (active != null) {
      try {
        active.seal();
      } catch (IOException e) {
        // the segment is given up anyway; its valid records are read back by CRC
      }
    }
  }

  /** Deletes a segment whose records are no longer needed, and flushes the directory. */
  void delete(Segment s) throws IOException {
    s.seal();
    Files.deleteIfExists(s.path);
    Segment.forceDirectory(io, dir);
    segments.remove(s);
  }

  /** Bytes of each segment kept for acknowledgements and metadata. */
  long reserve() {
    return Math.max(4096, segmentSize / 8);
  }

  long totalBytes() {
    long total = 0;
    for (Segment s : segments) {
      total += s.fileSize();
    }
    return total;
  }

  void close() {
    CompletableFuture<Segment> f = spare;
    spare = null;
    if (f != null) {
      try {
        discard(f.join());
      } catch (RuntimeException e) {
        // the spare was never created
      }
    }
    for (Segment s : segments) {
      try {
        s.seal();
      } catch (IOException e) {
        // closing a read-only or sealed channel: nothing to lose
      }
    }
  }

  /** Where a record was written. */
  record Location(Journal journal, Segment segment, long offset, int length) {}
}
