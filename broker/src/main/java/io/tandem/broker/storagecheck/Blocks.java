package io.tandem.broker.storagecheck;

import io.tandem.broker.BrokerException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * Numbered, checksummed blocks of {@link #SIZE} bytes: block {@code n} lives at offset {@code n *
 * SIZE} and holds its number, the run's nonce, bytes derived from both, and a CRC32C. A block is
 * valid only if all of it is the block that belongs there, so stale data from another run, zeros
 * and half-written blocks never count.
 */
final class Blocks {
  static final int SIZE = 4096;
  private static final int MAGIC = 0x54534331; // "TSC1"
  private static final int HEADER = 4 + 8 + 8 + 4;

  private Blocks() {}

  static ByteBuffer encode(long nonce, long n) {
    ByteBuffer b = ByteBuffer.allocate(SIZE);
    b.putInt(MAGIC).putLong(n).putLong(nonce).putInt(0);
    SplittableRandom fill = new SplittableRandom(nonce * 31 + n);
    while (b.remaining() >= 8) {
      b.putLong(fill.nextLong());
    }
    b.putInt(HEADER - 4, crc(b.array()));
    return b.flip();
  }

  static boolean valid(byte[] bytes, int offset, long nonce, long n) {
    ByteBuffer b = ByteBuffer.wrap(bytes, offset, SIZE);
    if (b.getInt() != MAGIC || b.getLong() != n || b.getLong() != nonce) {
      return false;
    }
    int stored = b.getInt();
    byte[] copy = new byte[SIZE];
    System.arraycopy(bytes, offset, copy, 0, SIZE);
    ByteBuffer.wrap(copy).putInt(HEADER - 4, 0);
    return stored == crc(copy);
  }

  private static int crc(byte[] block) {
    CRC32C c = new CRC32C();
    c.update(block, 0, SIZE);
    return (int) c.getValue();
  }

  /** Writes block {@code n} in place. */
  static void write(FileChannel ch, long nonce, long n) throws IOException {
    ByteBuffer b = encode(nonce, n);
    long pos = n * SIZE;
    while (b.hasRemaining()) {
      pos += ch.write(b, pos);
    }
  }

  /**
   * What a scan of a block file found.
   *
   * @param blocks whole blocks in the file when the scan began
   * @param firstInvalid the first block that is not valid ({@code blocks} if all are)
   * @param validAfterGap valid blocks found after {@code firstInvalid}: each is a block n+1 seen
   *     without block n, a write-order violation
   */
  record Scan(long blocks, long firstInvalid, long validAfterGap) {}

  /**
   * Reads blocks {@code from} to the end of the file, freshly opened (so a network file system
   * revalidates its cache), one block per read from the last towards {@code from}: a block seen
   * valid proves every earlier block had been written before that read, so reading an earlier one
   * afterwards can only find it valid unless the storage reordered writes. A forward read would
   * report blocks appended during the scan as violations.
   */
  static Scan scan(Path file, long nonce, long from) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long blocks = ch.size() / SIZE;
      byte[] buf = new byte[SIZE];
      long first = blocks;
      long after = 0;
      long validSeen = 0;
      for (long n = blocks - 1; n >= from; n--) {
        if (readFully(ch, buf, n * SIZE) && valid(buf, 0, nonce, n)) {
          validSeen++;
        } else {
          first = n;
          after = validSeen; // every valid block seen so far lies beyond this gap
        }
      }
      return new Scan(blocks, first, after);
    } catch (NoSuchFileException e) {
      return new Scan(0, from, 0);
    } catch (IOException e) {
      throw new BrokerException(BrokerException.Category.STORE_IO, "cannot read " + file, e);
    }
  }

  private static boolean readFully(FileChannel ch, byte[] buf, long pos) throws IOException {
    ByteBuffer bb = ByteBuffer.wrap(buf);
    while (bb.hasRemaining()) {
      if (ch.read(bb, pos + bb.position()) < 0) {
        return false;
      }
    }
    return true;
  }
}
