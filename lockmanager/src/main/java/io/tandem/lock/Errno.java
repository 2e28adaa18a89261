package io.tandem.lock;

import com.sun.jna.LastErrorException;
import java.nio.file.Path;

// Turns a failed libc call into a LockException an operator can act on.
final class Errno {

  static final int ENOENT = 2;
  static final int EINTR = 4;
  static final int EAGAIN = 11;
  static final int EACCES = 13;
  static final int EINVAL = 22;
  static final int ENOLCK = 37;
  static final int ENOSYS = 38;
  static final int EOPNOTSUPP = 95;

  private Errno() {}

  // Whether a lock request failed only because another open file description holds the lock.
  static boolean isContention(int errno) {
    return errno == EAGAIN || errno == EACCES;
  }

  // Whether the error means the file system (or kernel) does not do OFD locks on this file.
  static boolean isUnsupported(int errno) {
    return errno == ENOLCK || errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP;
  }

  static LockException lockCallFailed(String call, Path path, int errno) {
    LastErrorException cause = new LastErrorException(errno);
    if (isUnsupported(errno)) {
      return new LockException(
          LockException.Category.UNSUPPORTED,
          call
              + " on "
              + path
              + " failed with "
              + name(errno)
              + ": the store's file system does not support open-file-description locks"
              + " (on NFS, ENOLCK usually means the lock manager is not reachable), so it"
              + " cannot decide which broker is primary and hot-warm FT on a file lock is unsafe"
              + " on this store; put the store on a file system with distributed locking, or use"
              + " a ZooKeeper lock (zookeeper://HOST:PORT/PATH) instead",
          cause);
    }
    return new LockException(
        LockException.Category.IO, call + " on " + path + " failed with " + name(errno), cause);
  }

  static String name(int errno) {
    String symbol =
        switch (errno) {
          case ENOENT -> "ENOENT";
          case EINTR -> "EINTR";
          case EAGAIN -> "EAGAIN";
          case EACCES -> "EACCES";
          case EINVAL -> "EINVAL";
          case ENOLCK -> "ENOLCK";
          case ENOSYS -> "ENOSYS";
          case EOPNOTSUPP -> "EOPNOTSUPP";
          default -> "errno " + errno;
        };
    return symbol + " (" + LibC.instance().strerror(errno) + ")";
  }
}
