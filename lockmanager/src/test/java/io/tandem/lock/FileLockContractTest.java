package io.tandem.lock;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FileLockContractTest extends FencedLockContract {

  @TempDir Path store;

  @Override
  FencedLock newContender() {
    return FencedLocks.file(store);
  }
}
