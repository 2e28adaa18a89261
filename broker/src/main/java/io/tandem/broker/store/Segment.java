package io.tandem.broker.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One segment file of a journal, named {@code <epoch>-<seq>.seg}. Only the epoch in its name ever
 * writes to it; a new epoch starts new segments, so no write path touches another epoch's bytes.
 * The file starts with a {@link SegmentHeader} holding the segment's random salt, which every
 * frame's checksums include.
 */
final class Segment {
  private static final Pattern NAME = Pattern.compile("([0-9]{20})-([0-9]{10})\\.seg");
  private static final int ZERO_CHUNK = 1 << 20;
  private static final SecureRandom SALTS = new SecureRandom();

  final Path path;
  final long epoch;
  final long seq;
  private FileChannel channel;
  private long capacity;
  private long position;
  private long size = -1;
  private long salt;
  long liveMessages;
  long liveBytes;

  /** Where recovery found the end of valid data; for segments this store writes, its position. */
  long validEnd;

  private Segment(Path path, long epoch, long seq) {
    this.path = path;
    this.epoch = epoch;
    this.seq = seq;
  }

  static String name(long epoch, long seq) {
    return String.format("%020d-%010d.seg", epoch, seq);
  }

  static Optional<Segment> existing(Path path) {
    Matcher m = NAME.matcher(path.getFileName().toString());
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new Segment(path, Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
  }

  /**
   * Creates and preallocates a segment: zeros are written (not a sparse hole) so the space is
   * really reserved and a full disk shows up here rather than in the middle of a record. The file
   * and its directory are flushed before it is used. A failure leaves no file behind, so it is
   * reported as {@link NothingWritten}: the journals are as they were.
   */
  static Segment create(SegmentChannels io, Path dir, long epoch, long seq, long capacity)
      throws NothingWritten {
    Segment s = new Segment(dir.resolve(name(epoch, seq)), epoch, seq);
    s.salt = SALTS.nextLong();
    FileChannel ch;
    try {
      ch = io.create(s.path);
    } catch (IOException e) {
      throw new NothingWritten(e);
    }
    try {
      ByteBuffer header = ByteBuffer.allocate(SegmentHeader.SIZE);
      new SegmentHeader(epoch, seq, s.salt).writeTo(header);
      header.flip();
      long at = 0;
      while (header.hasRemaining()) {
        at += ch.write(header, at);
      }
      ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(ZERO_CHUNK, capacity));
      while (at < capacity) {
        zeros.clear().limit((int) Math.min(zeros.capacity(), capacity - at));
        at += ch.write(zeros, at);
      }
      ch.force(true);
      forceDirectory(io, dir);
    } catch (IOException e) {
      closeAndDelete(ch, s.path, e);
      throw new NothingWritten(e);
    }
    s.channel = ch;
    s.capacity = capacity;
    s.size = capacity;
    s.position = SegmentHeader.SIZE;
    s.validEnd = SegmentHeader.SIZE;
    return s;
  }

  private static void closeAndDelete(FileChannel ch, Path path, IOException cause) {
    try {
      ch.close();
      Files.deleteIfExists(path);
    } catch (IOException e) {
      cause.addSuppressed(e);
    }
  }

  static void forceDirectory(SegmentChannels io, Path dir) throws IOException {
    try (FileChannel d = io.directory(dir)) {
      d.force(true);
    }
  }

  static void forceDirectory(Path dir) throws IOException {
    forceDirectory(SegmentChannels.SYSTEM, dir);
  }

  boolean writable() {
    return channel != null;
  }

  long remaining() {
    return capacity - position;
  }

  long position() {
    return position;
  }

  /** The salt of a segment this store created (segments read back carry theirs in the header). */
  long salt() {
    return salt;
  }

  /**
   * Appends a frame at the write position; returns the offset it was written at. A failure before
   * any byte of the frame reached the file is a {@link NothingWritten}.
   */
  long append(ByteBuffer frame) throws IOException {
    long at = position;
    long p = at;
    while (frame.hasRemaining()) {
      try {
        p += channel.write(frame, p);
      } catch (IOException e) {
        throw p == at ? new NothingWritten(e) : e;
      }
    }
    position = p;
    validEnd = p;
    return at;
  }

  void force() throws IOException {
    channel.force(false);
  }

  /** Reads {@code length} bytes at {@code offset}. */
  byte[] read(long offset, int length) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length);
    try (FileChannel ch =
        channel != null ? null : FileChannel.open(path, StandardOpenOption.READ)) {
      FileChannel from = channel != null ? channel : ch;
      while (b.hasRemaining()) {
        if (from.read(b, offset + b.position()) < 0) {
          throw new IOException("unexpected end of " + path + " at " + (offset + b.position()));
        }
      }
    }
    return b.array();
  }

  /** Stops writing here; the rest stays zero. */
  void seal() throws IOException {
    if (channel != null) {
      FileChannel ch = channel;
      channel = null;
      ch.close();
    }
  }

  /** The file's size; preallocated segments never change it, so it is read once. */
  long fileSize() {
    if (size < 0) {
      try {
        size = Files.size(path);
      } catch (IOException e) {
        return 0;
      }
    }
    return size;
  }

  /**
   * Which segment this is in {@code journal}: the key of the limits recovery and compaction keep.
   */
  Id id(String journal) {
    return new Id(journal, path.getFileName().toString());
  }

  /** {@code journal/file}, as operators read it in logs and reports. */
  String key(String journal) {
    return id(journal).toString();
  }

  /** A segment by its journal's directory name and its file name. */
  record Id(String journal, String file) {
    @Override
    public String toString() {
      return journal + "/" + file;
    }
  }

  @Override
  public String toString() {
    return path.toString();
  }

  /**
   * An I/O error that left the file as it was: a segment could not be created (and was removed), or
   * a write failed before any byte of its frame was written. Only such a failure may be waited out
   * when it is a full disk; after any other the journal's state on disk is unknown.
   */
  static final class NothingWritten extends IOException {
    private static final long serialVersionUID = 1L;

    NothingWritten(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }
}
