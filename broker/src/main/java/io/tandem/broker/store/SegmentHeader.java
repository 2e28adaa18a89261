package io.tandem.broker.store;

import java.nio.ByteBuffer;

/**
 * The first {@value #SIZE} bytes of every segment: {@code magic:long version:int epoch:long
 * seq:long salt:long}, zeros, and a CRC32C of the bytes before it. The salt is random per segment
 * and enters every frame's checksums, so bytes a client sent (which cannot know the salt) never
 * form a frame the scanner accepts.
 *
 * @param epoch the epoch that created the segment; must match its name
 * @param seq the sequence number in its name
 * @param salt the segment's random salt
 */
record SegmentHeader(long epoch, long seq, long salt) {
  static final int SIZE = 64;

  /** "TANDEMSG" in ASCII. */
  static final long MAGIC = 0x54414E44454D5347L;

  /** The on-disk format this broker writes and reads; 0 was the format without this header. */
  static final int VERSION = 1;

  private static final int CRC_AT = SIZE - 4;

  void writeTo(ByteBuffer b) {
    int start = b.position();
    b.putLong(MAGIC).putInt(VERSION).putLong(epoch).putLong(seq).putLong(salt);
    b.put(new byte[CRC_AT - (b.position() - start)]);
    b.putInt(Frame.crc(0, b.array(), b.arrayOffset() + start, CRC_AT));
  }

  /** What the first bytes of a segment are. */
  enum Kind {
    /** A header of this format. */
    VALID,
    /** Zeros: the segment was cut off while it was created, before its header reached the disk. */
    EMPTY,
    /** The magic of this format with a later version. */
    NEWER_FORMAT,
    /** Not a header (damaged, or a file of the format before segment headers). */
    BAD
  }

  /** Reads the header at the start of {@code bytes} ({@code length} of them valid). */
  static Kind check(byte[] bytes, int length) {
    if (length < SIZE) {
      return allZero(bytes, length) ? Kind.EMPTY : Kind.BAD;
    }
    ByteBuffer b = ByteBuffer.wrap(bytes, 0, SIZE);
    if (b.getLong() != MAGIC) {
      return allZero(bytes, SIZE) ? Kind.EMPTY : Kind.BAD;
    }
    int version = b.getInt();
    if (b.getInt(CRC_AT) != Frame.crc(0, bytes, 0, CRC_AT)) {
      return Kind.BAD;
    }
    return version == VERSION ? Kind.VALID : version > VERSION ? Kind.NEWER_FORMAT : Kind.BAD;
  }

  /** The header in {@code bytes}, which {@link #check} found valid. */
  static SegmentHeader read(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes, 0, SIZE);
    b.getLong();
    b.getInt();
    return new SegmentHeader(b.getLong(), b.getLong(), b.getLong());
  }

  private static boolean allZero(byte[] bytes, int length) {
    for (int i = 0; i < length; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
