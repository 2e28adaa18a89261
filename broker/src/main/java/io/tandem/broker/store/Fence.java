package io.tandem.broker.store;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The {@code fence} file: the epoch of the only broker allowed to write the store, as decimal text.
 * It is replaced by rename so a reader sees the old or the new epoch, never half of one.
 */
final class Fence {
  static final String FILE = "fence";
  private static final int MAX_BYTES = 64;

  private Fence() {}

  /** The fenced epoch, 0 if the store was never fenced. */
  static long read(Path dir) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(dir.resolve(FILE));
    } catch (NoSuchFileException e) {
      return 0;
    }
    String text = new String(bytes, StandardCharsets.US_ASCII).strip();
    if (bytes.length > MAX_BYTES || !text.matches("[0-9]{1,19}")) {
      throw new BrokerException(
          Category.STORE_CORRUPT,
          dir.resolve(FILE) + " does not hold an epoch ('" + text + "'); refusing to guess one");
    }
    return Long.parseLong(text);
  }

  /**
   * Writes {@code epoch} durably, refusing if the fence already holds a greater one: an older epoch
   * must never take the store back.
   */
  static void raise(Path dir, long epoch) {
    try {
      long current = read(dir);
      if (current > epoch) {
        throw new BrokerException(
            Category.FENCED,
            "store "
                + dir
                + " is fenced at epoch "
                + current
                + ", newer than this broker's epoch "
                + epoch);
      }
      Path temp = dir.resolve(FILE + ".tmp");
      try (FileChannel ch =
          FileChannel.open(
              StoreFiles.replaced(temp),
              java.util.Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW),
              StoreFiles.PRIVATE_FILE)) {
        ByteBuffer text = ByteBuffer.wrap((epoch + "\n").getBytes(StandardCharsets.US_ASCII));
        while (text.hasRemaining()) {
          ch.write(text);
        }
        ch.force(true);
      }
      Files.move(temp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
      Segment.forceDirectory(dir);
    } catch (IOException e) {
      throw StoreErrors.io("cannot write " + dir.resolve(FILE), e);
    }
  }
}
