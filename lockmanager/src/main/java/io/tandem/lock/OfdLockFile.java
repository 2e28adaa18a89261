package io.tandem.lock;

import com.sun.jna.Native;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/*
 * One open file description of the lock file and the whole-file OFD write lock on it. The lock
 * lives exactly as long as the description: the kernel drops it when close runs or the
 * process dies, and nothing else in the process can drop it.
 */
final class OfdLockFile implements AutoCloseable {

  // Owner only: a user who can open the file can also put a read lock on it, which would keep
  // every broker from taking the write lock.
  private static final int MODE = 0600;

  private final Path path;
  private final AtomicInteger fd;

  private OfdLockFile(Path path, int fd) {
    this.path = path;
    this.fd = new AtomicInteger(fd);
  }

  // Opens the lock file for locking, creating it if needed.
  static OfdLockFile openForLocking(Path path) {
    int fd = open(path, LibC.O_RDWR | LibC.O_CREAT | LibC.O_CLOEXEC);
    if (fd < 0) {
      throw Errno.lockCallFailed("open", path, lastError());
    }
    return new OfdLockFile(path, fd);
  }

  /*
   * Opens an existing lock file only to ask about it; read-only is enough for F_OFD_GETLK,
   * so an operator without write permission can still inspect.
   */
  static Optional<OfdLockFile> openForInspection(Path path) {
    int fd = open(path, LibC.O_RDWR | LibC.O_CLOEXEC);
    if (fd < 0 && lastError() == Errno.EACCES) {
      fd = open(path, LibC.O_RDONLY | LibC.O_CLOEXEC);
    }
    if (fd >= 0) {
      return Optional.of(new OfdLockFile(path, fd));
    }
    int errno = lastError();
    if (errno == Errno.ENOENT) {
      return Optional.empty();
    }
    throw Errno.lockCallFailed("open", path, errno);
  }

  // One non-blocking attempt: true if this description now holds the lock.
  boolean tryLock() {
    while (true) {
      if (fcntl(LibC.F_OFD_SETLK, LibC.Flock.wholeFile(LibC.F_WRLCK)) == 0) {
        return true;
      }
      int errno = lastError();
      if (Errno.isContention(errno)) {
        return false;
      }
      if (errno != Errno.EINTR) {
        throw Errno.lockCallFailed("fcntl(F_OFD_SETLK)", path, errno);
      }
    }
  }

  // Whether any other open file description, in any process, holds a lock on the file.
  boolean isLockedElsewhere() {
    LibC.Flock probe = LibC.Flock.wholeFile(LibC.F_WRLCK);
    if (fcntl(LibC.F_OFD_GETLK, probe) != 0) {
      throw Errno.lockCallFailed("fcntl(F_OFD_GETLK)", path, lastError());
    }
    probe.read();
    return probe.l_type != LibC.F_UNLCK;
  }

  // Unlocks and closes; idempotent. The unlock is explicit so no inherited copy keeps it.
  @Override
  public void close() {
    int descriptor = fd.getAndSet(-1);
    if (descriptor < 0) {
      return;
    }
    LibC libc = LibC.instance();
    libc.fcntl(descriptor, LibC.F_OFD_SETLK, LibC.Flock.wholeFile(LibC.F_UNLCK));
    if (libc.close(descriptor) != 0) {
      throw Errno.lockCallFailed("close", path, lastError());
    }
  }

  private int fcntl(int command, LibC.Flock flock) {
    int descriptor = fd.get();
    if (descriptor < 0) {
      throw new IllegalStateException(path + " is already closed");
    }
    Native.setLastError(0);
    return LibC.instance().fcntl(descriptor, command, flock);
  }

  private static int open(Path path, int flags) {
    Native.setLastError(0);
    return LibC.instance().open(path.toString(), flags, MODE);
  }

  private static int lastError() {
    return Native.getLastError();
  }
}
