package io.tandem.lock;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The store's {@code fence} file: the epoch of the only broker allowed to write the store, as
 * decimal text. The broker checks it before each write it acknowledges; whoever takes the store
 * over (the broker itself, {@code tandem store fence}, or ha-agent in its own process) raises it
 * here. It is replaced by rename, so a reader sees the old or the new epoch, never half of one, and
 * it never goes down.
 */
public final class StoreFence {
  /** The file's name in the store directory. */
  public static final String FILE = "fence";

  private static final String TEMP = FILE + ".tmp";
  private static final int MAX_BYTES = 64;

  private StoreFence() {}

  /**
   * The fenced epoch, 0 if the store was never fenced.
   *
   * @throws LockException {@code CORRUPT} if the file does not hold an epoch, {@code IO} if it
   *     cannot be read
   */
  public static long read(Path dir) {
    Path file = dir.resolve(FILE);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw new LockException(LockException.Category.IO, "cannot read " + file, e);
    }
    String text = new String(bytes, StandardCharsets.US_ASCII).strip();
    if (bytes.length > MAX_BYTES || !text.matches("[0-9]{1,19}")) {
      throw new LockException(
          LockException.Category.CORRUPT,
          file + " does not hold an epoch ('" + text + "'); refusing to guess one");
    }
    return Long.parseLong(text);
  }

  /**
   * Writes {@code epoch} durably (file and directory forced), refusing if the fence already holds a
   * greater one: an older epoch must never take the store back. Raising to the epoch it already
   * holds rewrites it, which is harmless. The directory must exist.
   *
   * @throws LockException {@code FENCED} if the fence holds more than {@code epoch}, {@code
   *     CORRUPT} if it holds no epoch, {@code IO} if it cannot be written durably, {@code
   *     CONFIGURATION} if {@code epoch} is not positive
   */
  public static void raise(Path dir, long epoch) {
    if (epoch < 1) {
      throw new LockException(
          LockException.Category.CONFIGURATION, "epoch must be positive: " + epoch);
    }
    long current = read(dir);
    if (current > epoch) {
      throw new LockException(
          LockException.Category.FENCED,
          "store " + dir + " is fenced at epoch " + current + ", newer than epoch " + epoch);
    }
    Path temp = dir.resolve(TEMP);
    try {
      // a leftover temporary file would keep its old mode; a new one gets 0600
      Files.deleteIfExists(temp);
      try (FileChannel channel =
          FileChannel.open(
              temp,
              Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
        ByteBuffer text = ByteBuffer.wrap((epoch + "\n").getBytes(StandardCharsets.US_ASCII));
        while (text.hasRemaining()) {
          channel.write(text);
        }
        channel.force(true);
      }
      Files.move(temp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
      try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
        directory.force(true);
      }
    } catch (AtomicMoveNotSupportedException e) {
      throw new LockException(
          LockException.Category.UNSUPPORTED,
          "the store's file system cannot rename atomically",
          e);
    } catch (IOException e) {
      throw new LockException(
          LockException.Category.IO, "cannot write " + dir.resolve(FILE) + " durably", e);
    }
  }

  /**
   * Raises the fence to {@code epoch}, or past it if it already holds more (a standalone broker or
   * an operator raised it): then to one more than it holds. Returns the epoch the fence now holds,
   * which is the one the broker must run with.
   */
  public static long raiseAtLeast(Path dir, long epoch) {
    long current = read(dir);
    long target = current > epoch ? Math.addExact(current, 1) : epoch;
    raise(dir, target);
    return target;
  }
}
