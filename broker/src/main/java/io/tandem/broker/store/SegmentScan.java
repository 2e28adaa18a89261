package io.tandem.broker.store;

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
 */
final class SegmentScan {
  /** A valid frame and where it is. */
  record Located(Frame frame, long offset, int length) {}

  /** A range of bad bytes. */
  record Problem(boolean tornTail, long offset, long bytes) {}

  /** Segments beyond this are refused, so a scan can hold one in memory. */
  static final long MAX_SEGMENT = 1L << 30;

  final List<Located> frames = new ArrayList<>();
  final List<Problem> problems = new ArrayList<>();
  long validEnd;
  long ignoredBeyondLimit;

  private SegmentScan() {}

  /** Scans {@code segment} up to {@code limit} bytes ({@code -1}: the whole file). */
  static SegmentScan of(Segment segment, long limit) throws IOException {
    byte[] bytes;
    long size;
    try (FileChannel ch = FileChannel.open(segment.path, StandardOpenOption.READ)) {
      size = ch.size();
      long end = limit < 0 ? size : Math.min(limit, size);
      if (end > MAX_SEGMENT) {
        throw new IOException(segment.path + " is larger than " + MAX_SEGMENT + " bytes");
      }
      ByteBuffer b = ByteBuffer.allocate((int) end);
      while (b.hasRemaining() && ch.read(b, b.position()) >= 0) {
        // read until full or end of file
      }
      bytes = b.array();
    }
    SegmentScan scan = new SegmentScan();
    scan.scan(bytes, segment.epoch);
    if (limit >= 0 && size > limit) {
      scan.ignoredBeyondLimit = nonZeroEnd(readTail(segment, limit, size), 0);
    }
    return scan;
  }

  private static byte[] readTail(Segment segment, long from, long size) throws IOException {
    int n = (int) Math.min(size - from, MAX_SEGMENT);
    return segment.read(from, n);
  }

  private void scan(byte[] bytes, long epoch) {
    int pos = 0;
    while (pos < bytes.length) {
      Frame f = frameAt(bytes, pos, epoch);
      if (f != null) {
        frames.add(new Located(f, pos, f.length()));
        pos += f.length();
        continue;
      }
      int next = nextValid(bytes, pos + 1, epoch);
      if (next < 0) {
        long dataEnd = nonZeroEnd(bytes, pos);
        if (dataEnd > 0) {
          problems.add(new Problem(true, pos, dataEnd));
        }
        break;
      }
      problems.add(new Problem(false, pos, next - pos));
      pos = next;
    }
    validEnd = frames.isEmpty() ? 0 : last().offset() + last().length();
  }

  private Located last() {
    return frames.get(frames.size() - 1);
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

  private static Frame frameAt(byte[] bytes, int pos, long epoch) {
    if (bytes.length - pos < Frame.HEADER) {
      return null;
    }
    int length = ByteBuffer.wrap(bytes, pos, 4).getInt();
    if (length < Frame.HEADER || length > bytes.length - pos) {
      return null;
    }
    byte[] copy = new byte[length];
    System.arraycopy(bytes, pos, copy, 0, length);
    Frame f = Frame.decode(copy, length);
    return f != null && f.epoch() == epoch ? f : null;
  }

  private static int nextValid(byte[] bytes, int from, long epoch) {
    for (int i = from; i <= bytes.length - Frame.HEADER; i++) {
      if (bytes[i] == 0 && bytes[i + 1] == 0 && bytes[i + 2] == 0 && bytes[i + 3] == 0) {
        continue;
      }
      int length = ByteBuffer.wrap(bytes, i, 4).getInt();
      if (length >= Frame.HEADER
          && length <= bytes.length - i
          && Frame.crc(bytes, i + 8, length - 8) == ByteBuffer.wrap(bytes, i + 4, 4).getInt()
          && frameAt(bytes, i, epoch) != null) {
        return i;
      }
    }
    return -1;
  }
}
