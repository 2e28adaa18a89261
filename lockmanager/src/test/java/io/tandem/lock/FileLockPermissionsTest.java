package io.tandem.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No other local user may be able to open the lock file: a read lock of theirs blocks ours. */
class FileLockPermissionsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path store;

  private String mode(String file) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(store.resolve(file)));
  }

  @Test
  void shouldCreateTheLockFilesForTheBrokersUserOnly() throws IOException {
    try (FencedLock lock = FencedLocks.file(store);
        Lease lease = lock.acquire(WAIT)) {
      assertTrue(lease.epoch() > 0);
      assertEquals("rw-------", mode("lock"));
      assertEquals("rw-------", mode("lock.epoch"));
      assertEquals("rw-------", mode("lock.holder"));
    }
  }

  @Test
  void shouldNarrowAnExistingLockFileThatOtherUsersCouldOpen() throws IOException {
    Files.createFile(store.resolve("lock"));
    Files.setPosixFilePermissions(
        store.resolve("lock"), PosixFilePermissions.fromString("rw-r--r--"));
    try (FencedLock lock = FencedLocks.file(store);
        Lease lease = lock.acquire(WAIT)) {
      assertTrue(lease.epoch() > 0);
      assertEquals("rw-------", mode("lock"));
    }
  }

  @Test
  void shouldRefuseALockFileOfAnotherUser() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "giving a file away needs root");
    Path file = Files.createFile(store.resolve("lock"));
    Files.setOwner(
        file,
        store.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
    try (FencedLock lock = FencedLocks.file(store)) {
      LockException e = assertThrows(LockException.class, () -> lock.acquire(WAIT));
      assertEquals(LockException.Category.IO, e.category());
      assertTrue(e.getMessage().contains("another user could hold a lock"), e.getMessage());
    }
  }

  @Test
  void shouldRefuseALockFileThatIsASymbolicLink() throws Exception {
    Path elsewhere = Files.createFile(store.resolve("elsewhere"));
    Files.createSymbolicLink(store.resolve("lock"), elsewhere);
    try (FencedLock lock = FencedLocks.file(store)) {
      LockException e = assertThrows(LockException.class, () -> lock.acquire(WAIT));
      assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    }
  }
}
