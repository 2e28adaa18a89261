package io.tandem.broker.storagecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlocksTest {
  @TempDir Path dir;

  private Path write(long nonce, int count) throws Exception {
    Path file = dir.resolve("blocks.dat");
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      for (int n = 0; n < count; n++) {
        Blocks.write(ch, nonce, n);
      }
    }
    return file;
  }

  @Test
  void shouldFindEveryBlockValidWhenWrittenInOrder() throws Exception {
    Path file = write(7, 10);
    assertEquals(new Blocks.Scan(10, 10, 0), Blocks.scan(file, 7, 0));
  }

  @Test
  void shouldCountValidBlocksThatFollowAMissingOne() throws Exception {
    Path file = write(7, 10);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(Blocks.SIZE), 4L * Blocks.SIZE);
    }
    assertEquals(new Blocks.Scan(10, 4, 5), Blocks.scan(file, 7, 0));
  }

  @Test
  void shouldNotCountABlockWithOneFlippedByte() throws Exception {
    Path file = write(7, 3);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {0x55}), 2L * Blocks.SIZE + 100);
    }
    assertEquals(new Blocks.Scan(3, 2, 0), Blocks.scan(file, 7, 0));
  }

  @Test
  void shouldNotCountBlocksOfAnotherRun() throws Exception {
    Path file = write(7, 3);
    assertEquals(new Blocks.Scan(3, 0, 0), Blocks.scan(file, 8, 0));
  }

  @Test
  void shouldTreatAMissingFileAsEmpty() {
    assertEquals(new Blocks.Scan(0, 0, 0), Blocks.scan(dir.resolve("none"), 7, 0));
  }
}
