package io.tandem.broker.store;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The on-disk frame of one record: {@code length:int headerCrc:int type:byte epoch:long batch:long
 * batchRecords:int bodyCrc:int payload}. Both checksums are CRC32C seeded with the segment's salt
 * ({@link SegmentHeader}): the header CRC covers the length and every field after the header CRC,
 * so a candidate frame is checked in constant time before its body is read; the body CRC covers the
 * payload. A length of zero marks the end of data: segments are preallocated with zeros.
 *
 * @param type the record's kind
 * @param epoch the epoch of the writer
 * @param batch the batch id; ids increase in the order batches were written
 * @param batchRecords how many records the batch has in all journals together
 * @param payload the record's body
 */
record Frame(RecordType type, long epoch, long batch, int batchRecords, byte[] payload) {
  static final int HEADER = 4 + 4 + 1 + 8 + 8 + 4 + 4;

  /** The header bytes the header CRC covers after the length: type up to the body CRC. */
  private static final int HEADER_FIELDS = HEADER - 8;

  /** No record may be larger; a length beyond it is corruption, not a huge message. */
  static final int MAX_LENGTH = 1 << 30;

  int length() {
    return HEADER + payload.length;
  }

  ByteBuffer encode(long salt) {
    ByteBuffer b = ByteBuffer.allocate(length());
    b.putInt(length()).putInt(0).put(type.code).putLong(epoch).putLong(batch).putInt(batchRecords);
    b.putInt(crc(salt, payload, 0, payload.length));
    b.put(payload);
    b.putInt(4, headerCrc(salt, b.array(), 0));
    return b.flip();
  }

  static int crc(long salt, byte[] bytes, int offset, int length) {
    CRC32C crc = salted(salt);
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }

  private static CRC32C salted(long salt) {
    CRC32C crc = new CRC32C();
    if (salt != 0) {
      byte[] s = new byte[8];
      ByteBuffer.wrap(s).putLong(salt);
      crc.update(s, 0, 8);
    }
    return crc;
  }

  static int headerCrc(long salt, byte[] bytes, int at) {
    CRC32C crc = salted(salt);
    crc.update(bytes, at, 4);
    crc.update(bytes, at + 8, HEADER_FIELDS);
    return (int) crc.getValue();
  }

  /**
   * The length of the frame whose header starts at {@code bytes[at]}, if the header is one this
   * segment wrote (length within {@code end}, header CRC, known type, at least one record in the
   * batch, the segment's epoch); -1 otherwise. Constant work: the body is not read.
   */
  static int checkHeader(byte[] bytes, int at, int end, long salt, long epoch) {
    if (end - at < HEADER) {
      return -1;
    }
    ByteBuffer b = ByteBuffer.wrap(bytes, at, HEADER);
    int length = b.getInt();
    if (length < HEADER || length > end - at || b.getInt() != headerCrc(salt, bytes, at)) {
      return -1;
    }
    if (RecordType.of(b.get()) == null || b.getLong() != epoch) {
      return -1;
    }
    b.getLong();
    return b.getInt() < 1 ? -1 : length;
  }

  /** Whether the body of the frame at {@code at}, whose header passed, matches its CRC. */
  static boolean checkBody(byte[] bytes, int at, int length, long salt) {
    int stored = ByteBuffer.wrap(bytes, at + HEADER - 4, 4).getInt();
    return stored == crc(salt, bytes, at + HEADER, length - HEADER);
  }

  /** The frame at {@code at}, whose header and body were checked. */
  static Frame read(byte[] bytes, int at, int length) {
    ByteBuffer b = ByteBuffer.wrap(bytes, at + 8, HEADER - 8);
    RecordType type = RecordType.of(b.get());
    long epoch = b.getLong();
    long batch = b.getLong();
    int count = b.getInt();
    byte[] payload = new byte[length - HEADER];
    System.arraycopy(bytes, at + HEADER, payload, 0, payload.length);
    return new Frame(type, epoch, batch, count, payload);
  }
}
