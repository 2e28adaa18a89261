package io.tandem.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLockTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path store;

  @Test
  void shouldRefuseStoreDirectoryThatDoesNotExist() {
    Path missing = store.resolve("not-mounted");

    LockException e = assertThrows(LockException.class, () -> FencedLocks.file(missing));

    assertEquals(LockException.Category.IO, e.category());
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertFalse(Files.exists(missing), "a missing store is never created");
  }

  @Test
  void shouldStoreEpochDurablyBeforeReturningLease() throws IOException {
    try (FencedLock lock = FencedLocks.file(store);
        Lease lease = lock.acquire(WAIT)) {
      assertEquals(lease.epoch() + "\n", Files.readString(store.resolve("lock.epoch")));
    }
  }

  @Test
  void shouldContinueFromEpochAlreadyInStore() throws IOException {
    Files.writeString(store.resolve("lock.epoch"), "41\n");

    try (FencedLock lock = FencedLocks.file(store);
        Lease lease = lock.acquire(WAIT)) {
      assertEquals(42, lease.epoch());
    }
  }

  @Test
  void shouldRefuseCorruptEpochFileInsteadOfStartingOver() throws IOException {
    Files.writeString(store.resolve("lock.epoch"), "not a number\n");

    try (FencedLock lock = FencedLocks.file(store)) {
      LockException e = assertThrows(LockException.class, () -> lock.acquire(WAIT));

      assertEquals(LockException.Category.CORRUPT, e.category());
      assertTrue(e.getMessage().contains("lock.epoch"), e.getMessage());
    }
    Files.writeString(store.resolve("lock.epoch"), "7\n");
    try (FencedLock other = FencedLocks.file(store)) {
      Lease lease =
          other.tryAcquire().orElseThrow(() -> new AssertionError("failed grant kept it"));
      assertEquals(8, lease.epoch());
    }
  }

  @Test
  void shouldRecordHolderIdentityInHolderFile() throws IOException {
    Instant now = Instant.parse("2030-01-01T00:00:00Z");
    ProcessIdentity self = ProcessIdentity.current();
    FileFencedLock lock =
        new FileFencedLock(new StoreFiles(store), self, Clock.fixed(now, ZoneOffset.UTC));

    try (lock;
        Lease lease = lock.acquire(WAIT)) {
      byte[] recorded = Files.readAllBytes(store.resolve("lock.holder"));
      assertEquals(self.holding(lease.epoch(), now), HolderCodec.decode(recorded).orElseThrow());
    }
  }

  @Test
  void shouldReportFreshStoreAsNeverHeldWithoutCreatingFiles() throws IOException {
    LockStatus status = FencedLocks.inspectFile(store);

    assertFalse(status.held());
    assertTrue(status.lastHolder().isEmpty());
    assertEquals(0, status.latestEpoch());
    try (var files = Files.list(store)) {
      assertEquals(0, files.count(), "inspection writes nothing");
    }
  }

  @Test
  void shouldReadStaleHolderFileAsNotHeldWithLastHolder() {
    long epoch;
    try (FencedLock lock = FencedLocks.file(store);
        Lease lease = lock.acquire(WAIT)) {
      epoch = lease.epoch();
    }

    LockStatus status = FencedLocks.inspectFile(store);

    assertFalse(status.held());
    assertEquals(epoch, status.lastHolder().orElseThrow().epoch());
    assertTrue(
        status.describe().startsWith("not held\nlast recorded holder: pid "), status.describe());
  }

  @Test
  void shouldReportUnreadableHolderFileAsUnknownHolder() throws IOException {
    Files.writeString(store.resolve("lock.holder"), "garbage", StandardCharsets.UTF_8);

    LockStatus status = FencedLocks.inspectFile(store);

    assertTrue(status.lastHolder().isEmpty());
    assertTrue(status.describe().contains("no holder recorded"), status.describe());
  }

  @Test
  void shouldExplainWhatAnUnsupportedLockCallMeansForFailover() {
    Path lockFile = store.resolve("lock");
    for (int errno : new int[] {Errno.ENOLCK, Errno.EINVAL, Errno.EOPNOTSUPP}) {
      LockException e = Errno.lockCallFailed("fcntl(F_OFD_SETLK)", lockFile, errno);

      assertEquals(LockException.Category.UNSUPPORTED, e.category());
      assertTrue(e.getMessage().contains(lockFile.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("does not support open-file-description locks"));
      assertTrue(e.getMessage().contains("ZooKeeper lock"), e.getMessage());
    }
    LockException enolck = Errno.lockCallFailed("fcntl(F_OFD_SETLK)", lockFile, Errno.ENOLCK);
    assertTrue(enolck.getMessage().contains("ENOLCK (No locks available)"), enolck.getMessage());
  }

  @Test
  void shouldReportOtherLockCallFailuresAsIo() {
    LockException e = Errno.lockCallFailed("open", store.resolve("lock"), Errno.EACCES);

    assertEquals(LockException.Category.IO, e.category());
    assertTrue(e.getMessage().contains("EACCES (Permission denied)"), e.getMessage());
  }
}
