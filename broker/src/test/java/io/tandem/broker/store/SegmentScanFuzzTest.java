package io.tandem.broker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tandem.broker.BrokerException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the segment scanner that recovery runs over every segment file. Any
 * bytes: the scan ends (the fuzzer's per-input timeout is the hang detector), allocates at most
 * linearly in the file's size, throws nothing but the IOException it documents, and what it reports
 * (frames, problems, valid end) lies inside the file without overlapping.
 *
 * <p>An input is one control byte and then the segment's bytes. Control bit 0: the target seals
 * every frame it can find (writes the right CRC), so that mutations reach the paths after a valid
 * frame rather than dying at the CRC; bit 1: the scan is limited to 16 times bits 2-7 of it, as
 * compaction and recovery with an epoch's recorded size do. Kept thin on purpose: bytes in, scan,
 * invariants, so that a change of the segment format only changes {@link #seal}. Seeds: {@code
 * SegmentScanFuzzTestInputs/}; see docs/fuzzing.md.
 */
class SegmentScanFuzzTest {
  static final long EPOCH = 1;

  /** The salt of the segment header the control byte can put in front of the input. */
  static final long SALT = 0x5eed5a17L;

  /** Allocation allowed per byte of segment, and once per scan (a few small objects per byte). */
  private static final long ALLOCATION_PER_BYTE = 256;

  private static final long ALLOCATION_PER_SCAN = 4L << 20;

  private static Path dir;
  private static Path file;

  @BeforeAll
  static void createDirectory() throws IOException {
    dir = Files.createTempDirectory("segment-fuzz");
    file = dir.resolve(Segment.name(EPOCH, 1));
    // the first scans load and link classes, which allocates far more than any scan
    byte[] frame = new Frame(RecordType.ADD, EPOCH, 1, 1, new byte[8]).encode(SALT).array();
    Files.write(file, withHeader(frame));
    for (int i = 0; i < 3; i++) {
      SegmentScan.of(Segment.existing(file).orElseThrow(), i - 1);
    }
  }

  @AfterAll
  static void deleteDirectory() throws IOException {
    Files.deleteIfExists(file);
    Files.deleteIfExists(dir);
  }

  // When fuzzing, this one invocation holds Jazzer's start (instrumenting the broker's classes,
  // slow on a loaded machine) and the whole maxDuration run, so the bound is far above both; it
  // still ends a seed that hangs when the seeds are replayed as a unit test.
  @Timeout(300)
  @FuzzTest(maxDuration = "15s")
  void anySegmentFileScansInBoundedWorkWithoutSurprises(byte[] input) throws IOException {
    int control = input.length == 0 ? 0 : input[0];
    byte[] body = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
    if ((control & 1) != 0) {
      seal(body);
    }
    byte[] bytes = (control & 1) != 0 ? withHeader(body) : body;
    long limit = (control & 2) != 0 ? ((control >> 2) & 0x3f) * 16L : -1;
    Files.write(file, bytes);
    Segment segment = Segment.existing(file).orElseThrow();

    long before = allocatedBytes();
    SegmentScan scan;
    try {
      scan = SegmentScan.of(segment, limit);
    } catch (IOException e) {
      return; // the documented failure; a file this small is never too large, but reading may fail
    } catch (BrokerException e) {
      // a file without this format's header: refused by name, never read as records
      assertEquals(BrokerException.Category.STORE_CORRUPT, e.category(), e::getMessage);
      return;
    }
    long allocated = allocatedBytes() - before;
    assertTrue(
        allocated <= ALLOCATION_PER_SCAN + ALLOCATION_PER_BYTE * bytes.length,
        () -> allocated + " bytes allocated to scan " + bytes.length);
    checkReport(scan, bytes.length, limit);
  }

  private static void checkReport(SegmentScan scan, long size, long limit) {
    long scanned = limit < 0 ? size : Math.min(limit, size);
    long at = 0;
    for (SegmentScan.Located l : scan.frames) {
      assertTrue(l.offset() >= at, "frames in order without overlap");
      assertEquals(l.frame().length(), l.length());
      assertEquals(EPOCH, l.frame().epoch(), "only the segment's epoch");
      at = l.offset() + l.length();
      assertTrue(at <= scanned, "frame inside the scanned bytes");
    }
    if (scan.frames.isEmpty()) {
      // no record: valid data ends at the start of the file or behind the segment header
      assertTrue(scan.validEnd == 0 || scan.validEnd == SegmentHeader.SIZE, "" + scan.validEnd);
    } else {
      assertEquals(at, scan.validEnd, "valid data ends after the last frame");
    }
    for (SegmentScan.Problem p : scan.problems) {
      assertTrue(p.bytes() > 0 && p.offset() >= 0 && p.offset() + p.bytes() <= scanned, "" + p);
      for (SegmentScan.Located l : scan.frames) {
        boolean apart =
            p.offset() + p.bytes() <= l.offset() || l.offset() + l.length() <= p.offset();
        assertTrue(apart, () -> p + " overlaps " + l);
      }
    }
    long problemCount = scan.problems.stream().filter(SegmentScan.Problem::tornTail).count();
    assertTrue(problemCount <= 1, "at most one torn tail");
    assertTrue(scan.ignoredBeyondLimit >= 0 && scan.ignoredBeyondLimit <= size - scanned);
  }

  /** Writes the right CRC into every frame header that a walk over {@code bytes} meets. */
  static void seal(byte[] bytes) {
    int pos = 0;
    while (pos + Frame.HEADER <= bytes.length) {
      int length = ByteBuffer.wrap(bytes, pos, 4).getInt();
      if (length < Frame.HEADER || length > bytes.length - pos) {
        pos++;
        continue;
      }
      ByteBuffer b = ByteBuffer.wrap(bytes);
      b.putInt(
          pos + Frame.HEADER - 4,
          Frame.crc(SALT, bytes, pos + Frame.HEADER, length - Frame.HEADER));
      b.putInt(pos + 4, Frame.headerCrc(SALT, bytes, pos));
      pos += length;
    }
  }

  /** {@code frames} behind the header of segment 1 of {@link #EPOCH}. */
  static byte[] withHeader(byte[] frames) {
    ByteBuffer b = ByteBuffer.allocate(SegmentHeader.SIZE + frames.length);
    new SegmentHeader(EPOCH, 1, SALT).writeTo(b);
    b.put(frames);
    return b.array();
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }
}
