package io.tandem.broker.storagecheck;

import io.tandem.lock.FencedLock;
import io.tandem.lock.FencedLocks;
import io.tandem.lock.LockException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which lock the check takes. {@link #NONE} is the broker's own file lock and the only one that
 * qualifies storage; the other two reproduce, on storage that does lock, what two kinds of storage
 * that does not would do, so an operator (and the tests) can see the verdict they get.
 */
public enum LockSimulation {
  /** The lock manager's OFD file lock, as the broker takes it. */
  NONE,
  /**
   * Every lock call fails as {@code fcntl} does with {@code ENOLCK} on a mount whose lock manager
   * is unreachable.
   */
  UNSUPPORTED,
  /**
   * Each participant locks a file only it uses, as with an NFS mount option {@code nolock} or
   * {@code local_lock=posix}: every host's lock is granted and nothing excludes the other host.
   */
  HOST_LOCAL;

  /** The lock of {@code dir} as {@code participant} sees it under this simulation. */
  FencedLock open(Path dir, String participant) {
    return switch (this) {
      case NONE -> FencedLocks.file(dir);
      case UNSUPPORTED ->
          throw new LockException(
              LockException.Category.UNSUPPORTED,
              "fcntl(F_OFD_SETLK) on "
                  + dir.resolve("lock")
                  + " failed with ENOLCK (No locks available) [simulated by --simulate-locks"
                  + " unsupported]: the file system does not grant open-file-description locks");
      case HOST_LOCAL -> FencedLocks.file(privateDir(dir, participant));
    };
  }

  private static Path privateDir(Path dir, String participant) {
    Path own = dir.resolve("host-local-" + participant);
    try {
      Files.createDirectories(own);
    } catch (IOException e) {
      throw new LockException(LockException.Category.IO, "cannot create " + own, e);
    }
    return own;
  }

  /** The command-line spelling. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** Parses {@link #label()}. */
  public static LockSimulation of(String label) {
    return valueOf(label.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
  }
}
