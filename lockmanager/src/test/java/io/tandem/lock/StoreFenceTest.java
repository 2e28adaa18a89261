package io.tandem.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreFenceTest {
  @TempDir Path store;

  @Test
  void shouldReadZeroFromAStoreNeverFenced() {
    assertEquals(0, StoreFence.read(store));
  }

  @Test
  void shouldWriteTheEpochAsOneLineOfDecimalTextOnlyItsOwnerCanRead() throws Exception {
    StoreFence.raise(store, 7);

    assertEquals(7, StoreFence.read(store));
    Path file = store.resolve(StoreFence.FILE);
    assertEquals("7\n", Files.readString(file));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertFalse(Files.exists(store.resolve("fence.tmp")));
  }

  @Test
  void shouldRefuseToLowerTheFence() {
    StoreFence.raise(store, 9);

    LockException e = assertThrows(LockException.class, () -> StoreFence.raise(store, 8));

    assertEquals(LockException.Category.FENCED, e.category());
    assertTrue(e.getMessage().contains("fenced at epoch 9, newer than epoch 8"), e.getMessage());
    assertEquals(9, StoreFence.read(store));
  }

  @Test
  void shouldAcceptTheEpochItAlreadyHolds() {
    StoreFence.raise(store, 4);
    StoreFence.raise(store, 4);

    assertEquals(4, StoreFence.read(store));
  }

  @Test
  void shouldRaisePastAGreaterEpochWhenAskedForAtLeastOne() {
    assertEquals(3, StoreFence.raiseAtLeast(store, 3));
    StoreFence.raise(store, 10);

    assertEquals(11, StoreFence.raiseAtLeast(store, 5));
    assertEquals(11, StoreFence.read(store));
    assertEquals(12, StoreFence.raiseAtLeast(store, 12));
  }

  @Test
  void shouldRefuseAFileThatHoldsNoEpochInsteadOfGuessing() throws Exception {
    Files.writeString(store.resolve(StoreFence.FILE), "12x\n");

    LockException read = assertThrows(LockException.class, () -> StoreFence.read(store));
    LockException raise = assertThrows(LockException.class, () -> StoreFence.raise(store, 20));

    assertEquals(LockException.Category.CORRUPT, read.category());
    assertEquals(LockException.Category.CORRUPT, raise.category());
    assertEquals("12x\n", Files.readString(store.resolve(StoreFence.FILE)));
  }

  @Test
  void shouldReplaceATemporaryFileACrashLeftWithAPrivateOne() throws Exception {
    Path temp = store.resolve("fence.tmp");
    Files.writeString(temp, "garbage");
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-rw-rw-"));

    StoreFence.raise(store, 2);

    assertEquals(2, StoreFence.read(store));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(store.resolve(StoreFence.FILE))));
  }

  @Test
  void shouldRefuseAnEpochThatIsNotPositive() {
    LockException e = assertThrows(LockException.class, () -> StoreFence.raise(store, 0));

    assertEquals(LockException.Category.CONFIGURATION, e.category());
  }

  @Test
  void shouldReportAMissingDirectoryAsAnIoFailure() {
    LockException e =
        assertThrows(LockException.class, () -> StoreFence.raise(store.resolve("absent"), 1));

    assertEquals(LockException.Category.IO, e.category());
  }
}
