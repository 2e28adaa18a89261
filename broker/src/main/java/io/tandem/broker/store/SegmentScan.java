package io.tandem.broker.store;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the frames of one segment and tells a torn tail (a bad frame with nothing valid after it,
 * what a crash during a write leaves) from corruption (a bad frame followed by valid ones). After
 * corruption it resynchronises at the next valid frame, so every problem is listed.
 *
 * <p>The scan is linear in the segment's size even for a hostile file: a candidate offset costs a
 * constant-size header check, and the body checks of candidates whose header passed but whose body
 * did not are bounded by {@link #RESYNC_BUDGET_FACTOR} times the segment's size; past that the rest
 * of the segment is reported as one corrupt range.
 */
final class SegmentScan {
  /** A valid frame and where it is. */
  record Located(Frame frame, long offset, int length) {}

  /** A range of bad bytes. */
  record Problem(boolean tornTail, long offset, long bytes) {}

  /** Segments beyond this are refused, so a scan can hold one in memory. */
  static final long MAX_SEGMENT = 1L << 30;

  private static final int TAIL_CHUNK = 1 << 20;

  /** Bytes of failed body checks allowed per byte of segment. */
  static final int RESYNC_BUDGET_FACTOR = 4;

  final List<Located> frames = new ArrayList<>();
  final List<Problem> problems = new ArrayList<>();
  long validEnd;
  long ignoredBeyondLimit;

  /** Bytes checksummed: what the scan cost, for tests that its work stays linear. */
  long work;

  private long budget;

  private SegmentScan() {}

  /** Scans {@code segment} up to {@code limit} bytes ({@code -1}: the whole file). */
  static SegmentScan of(Segment segment, long limit) throws IOException {
    return within(
        segment,
        0,
        limit,
        (scan, ch, end) -> {
          if (limit != 0) {
            scan.scan(read(ch, (int) end), segment);
          }
        });
  }

  /**
   * What a scan does with the part of a segment it may read: the file's first {@code end} bytes.
   */
  @FunctionalInterface
  private interface Body {
    void scan(SegmentScan scan, FileChannel ch, long end) throws IOException;
  }

  /**
   * Opens {@code segment} and hands {@code body} the end of what may be read: the file, cut at
   * {@code limit} when it is not -1. A file larger than any writer makes is reported, never held in
   * memory; what lies beyond the limit (after {@code from}) is counted as ignored.
   */
  private static SegmentScan within(Segment segment, long from, long limit, Body body)
      throws IOException {
    SegmentScan scan = new SegmentScan();
    scan.validEnd = from;
    try (FileChannel ch = FileChannel.open(segment.path, StandardOpenOption.READ)) {
      long size = ch.size();
      long end = limit < 0 ? size : Math.min(limit, size);
      if (end > MAX_SEGMENT) {
        // no writer makes one (StoreOptions.MAX_BATCH_BYTES): reported, never held in memory
        scan.problems.add(new Problem(false, 0, size));
        return scan;
      }
      body.scan(scan, ch, end);
      if (limit >= 0 && size > limit) {
        scan.ignoredBeyondLimit = nonZeroEnd(ch, Math.max(limit, from), size);
      }
    }
    return scan;
  }

  private static byte[] read(FileChannel ch, int end) throws IOException {
    return read(ch, 0, end);
  }

  private static byte[] read(FileChannel ch, long from, int length) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length);
    while (b.hasRemaining() && ch.read(b, from + b.position()) >= 0) {
      // read until full or end of file
    }
    return b.array();
  }

  /** Bytes from {@code from} up to the last non-zero byte before {@code size}, read in chunks. */
  private static long nonZeroEnd(FileChannel ch, long from, long size) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(TAIL_CHUNK, size - from));
    long last = from;
    for (long at = from; at < size; ) {
      chunk.clear();
      int n = ch.read(chunk, at);
      if (n <= 0) {
        break;
      }
      byte[] b = chunk.array();
      for (int i = n - 1; i >= 0; i--) {
        if (b[i] != 0) {
          last = at + i + 1;
          break;
        }
      }
      at += n;
    }
    return last - from;
  }

  private void scan(byte[] bytes, Segment segment) {
    switch (SegmentHeader.check(bytes, bytes.length)) {
      case EMPTY -> {
        long dataEnd = nonZeroEnd(bytes, 0);
        if (dataEnd > 0) {
          problems.add(new Problem(false, 0, dataEnd));
        }
        return;
      }
      case NEWER_FORMAT -> throw unreadableFormat(segment, "a newer Tandem (a later format)");
      case BAD -> {
        if (isFormatZero(bytes)) {
          throw unreadableFormat(segment, "Tandem before segment headers (format 0)");
        }
        // a bad header with only zeros after it is a creation cut off by a crash, before the
        // segment was ever used: a torn tail, not corruption
        boolean torn =
            bytes.length <= SegmentHeader.SIZE || nonZeroEnd(bytes, SegmentHeader.SIZE) == 0;
        problems.add(new Problem(torn, 0, Math.max(nonZeroEnd(bytes, 0), 1)));
        return;
      }
      default -> {
        // VALID: read below
      }
    }
    SegmentHeader h = SegmentHeader.read(bytes);
    if (h.epoch() != segment.epoch || h.seq() != segment.seq) {
      problems.add(new Problem(false, 0, nonZeroEnd(bytes, 0)));
      return;
    }
    budget = (long) RESYNC_BUDGET_FACTOR * bytes.length;
    frames(bytes, SegmentHeader.SIZE, 0, h);
  }

  /**
   * Scans the rest of a segment after {@code from}, where an earlier {@link #following} scan of it
   * stopped, as {@link #of} scans a whole segment: what is not valid is a torn tail or corruption.
   */
  static SegmentScan rest(Segment segment, SegmentHeader h, long from, long limit)
      throws IOException {
    return within(
        segment,
        from,
        limit,
        (scan, ch, end) -> {
          if (end > from) {
            byte[] bytes = read(ch, from, (int) (end - from));
            scan.budget = (long) RESYNC_BUDGET_FACTOR * bytes.length;
            scan.frames(bytes, 0, from, h);
          }
        });
  }

  /**
   * Scans what follows {@code from} in a segment that another process may still be appending to:
   * valid frames up to the first one that is not (yet) whole, where {@link #validEnd} stops and the
   * next scan starts. Nothing is reported as a problem, since a frame being written looks torn.
   * Reads about {@code chunk} bytes (more if the first frame is larger), so that following a
   * preallocated segment does not read its zeros again and again.
   */
  static SegmentScan following(Segment segment, SegmentHeader h, long from, int chunk)
      throws IOException {
    SegmentScan scan = new SegmentScan();
    scan.validEnd = from;
    try (FileChannel ch = FileChannel.open(segment.path, StandardOpenOption.READ)) {
      long end = Math.min(Math.min(ch.size(), MAX_SEGMENT), from + Math.max(chunk, Frame.HEADER));
      if (end - from < Frame.HEADER) {
        return scan;
      }
      // a preallocated segment's zeros ahead: one header's read tells there is nothing new yet
      int first =
          Frame.checkHeader(
              read(ch, from, Frame.HEADER), 0, Integer.MAX_VALUE, h.salt(), h.epoch());
      if (first <= 0) {
        return scan;
      }
      byte[] bytes = read(ch, from, (int) (end - from));
      if (first > bytes.length && from + first <= Math.min(ch.size(), MAX_SEGMENT)) {
        bytes = read(ch, from, first);
      }
      int pos = 0;
      while (pos < bytes.length) {
        int length = scan.frameAt(bytes, pos, h);
        if (length <= 0) {
          break;
        }
        scan.frames.add(new Located(Frame.read(bytes, pos, length), from + pos, length));
        pos += length;
        scan.validEnd = from + pos;
      }
    }
    return scan;
  }

  /** The header of a segment another process writes: empty until it is whole and valid. */
  static java.util.Optional<SegmentHeader> header(Segment segment) throws IOException {
    try (FileChannel ch = FileChannel.open(segment.path, StandardOpenOption.READ)) {
      if (ch.size() < SegmentHeader.SIZE) {
        return java.util.Optional.empty();
      }
      byte[] bytes = read(ch, 0, SegmentHeader.SIZE);
      if (SegmentHeader.check(bytes, bytes.length) != SegmentHeader.Kind.VALID) {
        return java.util.Optional.empty();
      }
      SegmentHeader h = SegmentHeader.read(bytes);
      boolean named = h.epoch() == segment.epoch && h.seq() == segment.seq;
      return named ? java.util.Optional.of(h) : java.util.Optional.empty();
    }
  }

  /**
   * Reads the frames of {@code bytes} from index {@code start}; {@code base} is the file offset of
   * {@code bytes[0]}.
   */
  private void frames(byte[] bytes, int start, long base, SegmentHeader h) {
    int pos = start;
    validEnd = base + pos;
    while (pos < bytes.length) {
      int length = frameAt(bytes, pos, h);
      if (length > 0) {
        frames.add(new Located(Frame.read(bytes, pos, length), base + pos, length));
        pos += length;
        validEnd = base + pos;
        continue;
      }
      int next = nextValid(bytes, pos + 1, h);
      if (next == -1) {
        long dataEnd = nonZeroEnd(bytes, pos);
        if (dataEnd > 0) {
          problems.add(new Problem(true, base + pos, dataEnd));
        }
        return;
      }
      if (next == -2) {
        problems.add(new Problem(false, base + pos, bytes.length - pos));
        return;
      }
      problems.add(new Problem(false, base + pos, next - pos));
      pos = next;
    }
  }

  /** How many bytes from {@code from} up to the last non-zero byte. */
  private static long nonZeroEnd(byte[] bytes, int from) {
    for (int i = bytes.length - 1; i >= from; i--) {
      if (bytes[i] != 0) {
        return i + 1L - from;
      }
    }
    return 0;
  }

  /** The length of the valid frame at {@code pos}, or -1; a failed body check uses budget. */
  private int frameAt(byte[] bytes, int pos, SegmentHeader h) {
    int length = Frame.checkHeader(bytes, pos, bytes.length, h.salt(), h.epoch());
    work += Frame.HEADER;
    if (length < 0) {
      return -1;
    }
    work += length - Frame.HEADER;
    if (Frame.checkBody(bytes, pos, length, h.salt())) {
      return length;
    }
    budget -= length;
    return -1;
  }

  /** The next offset holding a valid frame; -1 if none; -2 if the budget ran out first. */
  private int nextValid(byte[] bytes, int from, SegmentHeader h) {
    for (int i = from; i <= bytes.length - Frame.HEADER; i++) {
      if (budget < 0) {
        return -2;
      }
      if (bytes[i] == 0 && bytes[i + 1] == 0 && bytes[i + 2] == 0 && bytes[i + 3] == 0) {
        continue;
      }
      if (frameAt(bytes, i, h) > 0) {
        return i;
      }
    }
    return -1;
  }

  /** Whether the file starts with a frame of format 0: no header, an unsalted CRC after length. */
  private static boolean isFormatZero(byte[] bytes) {
    final int oldHeader = 29;
    if (bytes.length < oldHeader) {
      return false;
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int length = b.getInt();
    return length >= oldHeader
        && length <= bytes.length
        && b.getInt() == Frame.crc(0, bytes, 8, length - 8);
  }

  private static BrokerException unreadableFormat(Segment segment, String writer) {
    return new BrokerException(
        Category.STORE_CORRUPT,
        segment.path
            + " was written by "
            + writer
            + "; this broker reads store format "
            + SegmentHeader.VERSION
            + " only. Drain the store with the broker version that wrote it, or move it aside"
            + " (see docs/store.md, Store format)");
  }
}
