package io.tandem.broker.store;

import static io.tandem.broker.store.StoreFixture.add;
import static io.tandem.broker.store.StoreFixture.adds;
import static io.tandem.broker.store.StoreFixture.await;
import static io.tandem.broker.store.StoreFixture.ids;
import static io.tandem.broker.store.StoreFixture.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.BrokerException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Frames cannot be forged from payload bytes, and a scan stays linear on any file. */
class SegmentScanTest {
  @TempDir Path dir;

  /** An ADD record for message 42 as a valid frame of format 0: no salt, one CRC. */
  private static byte[] formatZeroFrame(long epoch, long batch) {
    byte[] body = Records.encode(forged());
    ByteBuffer b = ByteBuffer.allocate(29 + body.length);
    b.putInt(29 + body.length).putInt(0).put(RecordType.ADD.code).putLong(epoch).putLong(batch);
    b.putInt(1).put(body);
    b.putInt(4, Frame.crc(0, b.array(), 8, b.capacity() - 8));
    return b.array();
  }

  private static Records.AddBody forged() {
    return new Records.AddBody(42, 0, List.of("queue:q"), null, null, new byte[] {1, 2, 3});
  }

  /** A payload carrying frames a client could build: format 0, and format 1 with guessed salts. */
  private static byte[] hostilePayload() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[7]);
    for (long batch = 1; batch < 20; batch++) {
      out.write(formatZeroFrame(1, batch));
      for (long salt : new long[] {0, 1, -1, batch}) {
        Frame f = new Frame(RecordType.ADD, 1, batch, 1, Records.encode(forged()));
        out.write(f.encode(salt).array());
      }
    }
    return out.toByteArray();
  }

  private static void overwrite(Path file, long offset, byte[] bytes) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(offset);
      f.write(bytes);
    }
  }

  private static Segment recordsSegment(Path store) throws IOException {
    return new Journal(store, Journal.SYNC, StoreOptions.MIN_SEGMENT).list().get(0);
  }

  @Test
  void shouldNotAcceptAFrameEmbeddedInAPayloadWhenResynchronising() throws Exception {
    try (JournalStore s = StoreFixture.open(options(dir, 1), null)) {
      await(s.write(adds(add(1, true, "queue:q"), add(2, true, "queue:q"))));
      byte[] payload = hostilePayload();
      await(s.write(adds(new StoreBatch.Add(3, payload, 0, List.of("queue:q"), true))));
    }
    Segment seg = recordsSegment(dir);
    SegmentScan before = SegmentScan.of(seg, -1);
    SegmentScan.Located third = before.frames.get(2);
    // a crash tore the header of the record carrying the payload: the scanner must look for the
    // next frame through the payload's bytes
    overwrite(seg.path, third.offset(), new byte[8]);

    SegmentScan after = SegmentScan.of(seg, -1);
    assertEquals(2, after.frames.size(), "only the records the store wrote");
    assertEquals(1, after.problems.size(), after.problems.toString());
    assertTrue(after.problems.get(0).tornTail(), "a torn tail stays a torn tail");
    assertEquals(third.offset(), after.problems.get(0).offset());

    assertFalse(Stores.inspect(dir).hasCorruption());
    Recovered[] r = new Recovered[1];
    try (JournalStore s = StoreFixture.reopen(dir, r)) {
      assertEquals(List.of(1L, 2L), ids(r[0]));
      assertEquals(JournalStore.State.SERVING, s.state());
    }
  }

  @Test
  void shouldScanAHostileSegmentWithWorkLinearInItsSize() throws Exception {
    // a file whose author knows the salt: a header that passes at every 33rd byte, each claiming
    // a body up to the end of the file that does not match its CRC
    int size = 1 << 20;
    long salt = 0x1234_5678_9abc_def0L;
    Path file = Files.createDirectories(dir.resolve(Journal.SYNC)).resolve(Segment.name(1, 1));
    ByteBuffer b = ByteBuffer.allocate(size);
    new SegmentHeader(1, 1, salt).writeTo(b);
    for (int at = SegmentHeader.SIZE; at + Frame.HEADER <= size; at += Frame.HEADER) {
      b.putInt(at, size - at).put(at + 8, RecordType.ADD.code).putLong(at + 9, 1);
      b.putLong(at + 17, at).putInt(at + 25, 1).putInt(at + 29, 0xbad);
      b.putInt(at + 4, Frame.headerCrc(salt, b.array(), at));
    }
    Files.write(file, b.array());

    SegmentScan scan = SegmentScan.of(Segment.existing(file).orElseThrow(), -1);
    assertTrue(scan.frames.isEmpty());
    assertFalse(scan.problems.get(0).tornTail(), "unscanned bytes are not called a torn tail");
    long bound = (long) (Frame.HEADER + SegmentScan.RESYNC_BUDGET_FACTOR + 2) * size;
    assertTrue(scan.work <= bound, "work " + scan.work + " for " + size + " bytes");
  }

  @Test
  void shouldRefuseAStoreOfTheFormatBeforeSegmentHeaders() throws Exception {
    Path meta = Files.createDirectories(dir.resolve(Journal.META));
    byte[] frame = formatZeroFrame(1, 1);
    byte[] segment = new byte[(int) StoreOptions.MIN_SEGMENT];
    System.arraycopy(frame, 0, segment, 0, frame.length);
    Files.write(meta.resolve(Segment.name(1, 1)), segment);
    Files.writeString(dir.resolve(Fence.FILE), "1\n");

    BrokerException e = assertThrows(BrokerException.class, () -> StoreFixture.reopen(dir, null));
    assertEquals(BrokerException.Category.STORE_CORRUPT, e.category());
    assertTrue(e.getMessage().contains("format 0"), e.getMessage());
    assertTrue(e.getMessage().contains(Segment.name(1, 1)), e.getMessage());
  }

  @Test
  void shouldCallASegmentWhoseCreationWasCutOffATornTail() throws Exception {
    Path file = Files.createDirectories(dir.resolve(Journal.SYNC)).resolve(Segment.name(1, 1));
    byte[] bytes = new byte[(int) StoreOptions.MIN_SEGMENT];
    bytes[3] = 0x54; // a few bytes of a header reached the disk, nothing after it
    Files.write(file, bytes);
    SegmentScan scan = SegmentScan.of(Segment.existing(file).orElseThrow(), -1);
    assertTrue(scan.frames.isEmpty());
    assertTrue(scan.problems.get(0).tornTail(), scan.problems.toString());
    assertFalse(Stores.inspect(dir).hasCorruption());
  }
}
