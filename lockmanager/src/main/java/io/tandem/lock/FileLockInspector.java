package io.tandem.lock;

import java.util.Optional;

/*
 * Reads a file lock's status without taking it. Whether it is held comes from the kernel
 * (F_OFD_GETLK), never from the holder file, which a dead holder leaves behind. Opening and
 * closing the lock file here cannot disturb a holder in this process: the lock belongs to the
 * holder's own open file description.
 */
final class FileLockInspector {

  private FileLockInspector() {}

  static LockStatus inspect(StoreFiles files) {
    files.requireStoreDirectory();
    boolean held = isHeld(files);
    Optional<LockHolder> holder = files.readHolder();
    long latestEpoch = files.readEpoch();
    return new LockStatus(held, holder, latestEpoch);
  }

  private static boolean isHeld(StoreFiles files) {
    Optional<OfdLockFile> opened = OfdLockFile.openForInspection(files.lock());
    if (opened.isEmpty()) {
      return false;
    }
    try (OfdLockFile file = opened.get()) {
      return file.isLockedElsewhere();
    }
  }
}
