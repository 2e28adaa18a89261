package io.tandem.broker.store;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The on-disk frame of one record: {@code length:int crc:int type:byte epoch:long batch:long
 * batchRecords:int payload}. The CRC32C covers everything after the CRC field. A length of zero
 * marks the end of data: segments are preallocated with zeros.
 *
 * @param type the record's kind
 * @param epoch the epoch of the writer
 * @param batch the batch id; ids increase in the order batches were written
 * @param batchRecords how many records the batch has in all journals together
 * @param payload the record's body
 */
record Frame(RecordType type, long epoch, long batch, int batchRecords, byte[] payload) {
  static final int HEADER = 4 + 4 + 1 + 8 + 8 + 4;

  /** No record may be larger; a length beyond it is corruption, not a huge message. */
  static final int MAX_LENGTH = 1 << 30;

  int length() {
    return HEADER + payload.length;
  }

  ByteBuffer encode() {
    ByteBuffer b = ByteBuffer.allocate(length());
    b.putInt(length()).putInt(0).put(type.code).putLong(epoch).putLong(batch).putInt(batchRecords);
    b.put(payload);
    b.putInt(4, crc(b.array(), 8, length() - 8));
    return b.flip();
  }

  static int crc(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }

  /**
   * Decodes a frame whose bytes start at {@code bytes[0]}; null if they are not a valid frame (bad
   * length, bad CRC or unknown type).
   */
  static Frame decode(byte[] bytes, int length) {
    if (length < HEADER || length > bytes.length) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(bytes, 0, length);
    if (b.getInt() != length || b.getInt() != crc(bytes, 8, length - 8)) {
      return null;
    }
    RecordType type = RecordType.of(b.get());
    if (type == null) {
      return null;
    }
    long epoch = b.getLong();
    long batch = b.getLong();
    int count = b.getInt();
    if (count < 1) {
      return null;
    }
    byte[] payload = new byte[length - HEADER];
    b.get(payload);
    return new Frame(type, epoch, batch, count, payload);
  }
}
