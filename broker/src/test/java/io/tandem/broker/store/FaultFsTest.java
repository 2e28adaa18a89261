package io.tandem.broker.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.Await;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The fault file system itself, through Java file APIs as the store uses them; no broker. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultFsTest {
  @TempDir Path tmp;
  private FaultFs fs;
  private Path mnt;

  @BeforeEach
  void mount() throws IOException {
    FaultFs.assumeFuse();
    fs = FaultFs.mount(tmp.resolve("backing"), tmp.resolve("mnt"), tmp.resolve("faultfs.log"));
    mnt = fs.mountpoint;
  }

  @AfterEach
  void unmount() throws IOException {
    if (fs != null) {
      fs.close();
      assertFalse(fs.mounted(), "still mounted; log:\n" + Files.readString(fs.log));
    }
  }

  @Test
  void shouldDropExactlyTheWritesNotYetFsyncedOnPowerCut() throws IOException {
    byte[] synced = bytes(200_000, 1);
    try (FileChannel ch = open(mnt.resolve("a"))) {
      write(ch, synced, 0);
      ch.force(false);
      write(ch, bytes(10, 2), 50);
      write(ch, bytes(5000, 3), synced.length);
      assertEquals(synced.length + 5000, ch.size());
    }
    try (FileChannel ch = open(mnt.resolve("b"))) {
      write(ch, bytes(4096, 4), 0);
    }
    try (FileChannel ch = open(mnt.resolve("c"))) {
      write(ch, synced, 0);
      ch.force(true);
      ch.truncate(1000);
      write(ch, bytes(70_000, 5), 100_000);
    }
    Files.move(mnt.resolve("c"), mnt.resolve("d"), StandardCopyOption.ATOMIC_MOVE);
    assertEquals(170_000, Files.size(mnt.resolve("d")), "reads see the unsynced state");
    Path sub = Files.createDirectory(mnt.resolve("sub"));

    fs.powerCut();
    assertThrows(IOException.class, () -> Files.readAllBytes(mnt.resolve("a")));
    fs.close();

    assertArrayEquals(synced, Files.readAllBytes(fs.backing.resolve("a")));
    assertEquals(0, Files.size(fs.backing.resolve("b")), "created, never synced: empty");
    assertArrayEquals(synced, Files.readAllBytes(fs.backing.resolve("d")), "renames are durable");
    assertTrue(Files.isDirectory(fs.backing.resolve(sub.getFileName())));
  }

  @Test
  void shouldWriteTheUnsyncedOverlayBackOnAPlainUnmount() throws IOException {
    byte[] data = bytes(300_000, 6);
    try (FileChannel ch = open(mnt.resolve("a"))) {
      write(ch, data, 0);
    }
    fs.close();
    assertArrayEquals(data, Files.readAllBytes(fs.backing.resolve("a")));
  }

  @Test
  void shouldFailOneFsyncWithEioAndLoseWhatItWouldHaveWritten() throws IOException {
    byte[] first = bytes(1000, 7);
    try (FileChannel ch = open(mnt.resolve("a"))) {
      write(ch, first, 0);
      ch.force(false);
      write(ch, bytes(1000, 8), 1000);
      fs.fail("fsync", "EIO", 1);
      IOException e = assertThrows(IOException.class, () -> ch.force(false));
      assertTrue(e.getMessage().contains("Input/output error"), e.getMessage());
      ByteBuffer after = ByteBuffer.allocate(1000);
      ch.read(after, 1000);
      assertArrayEquals(new byte[1000], after.array(), "the failed fsync's pages are dropped");
      ch.force(false);
      assertEquals(1, fs.stat("errors.fsync"));
      assertEquals(2, fs.stat("ops.fdatasync"));
    }
    fs.close();
    byte[] onDisk = Files.readAllBytes(fs.backing.resolve("a"));
    assertArrayEquals(first, Arrays.copyOf(onDisk, 1000));
    assertArrayEquals(
        new byte[onDisk.length - 1000],
        Arrays.copyOfRange(onDisk, 1000, onDisk.length),
        "the failed fsync's data must not reach the disk through a retry");
  }

  @Test
  void shouldFailFsyncAndDirectoryFsyncUntilCleared() throws IOException {
    fs.fail("fsync,fsyncdir", "EIO");
    try (FileChannel ch = open(mnt.resolve("a"))) {
      write(ch, bytes(10, 1), 0);
      for (int i = 0; i < 3; i++) {
        assertThrows(IOException.class, () -> ch.force(true));
      }
      assertThrows(IOException.class, () -> Segment.forceDirectory(mnt));
      fs.clear();
      ch.force(true);
      Segment.forceDirectory(mnt);
    }
    assertEquals(3, fs.stat("errors.fsync"));
    assertEquals(1, fs.stat("errors.fsyncdir"));
    assertEquals(1, fs.stat("ops.fsyncdir"));
  }

  @Test
  void shouldFailWritesWithEnospcAndBehaveAsAFullDisk() throws IOException {
    try (FileChannel ch = open(mnt.resolve("a"))) {
      write(ch, bytes(8192, 1), 0);
      fs.fail("write", "ENOSPC", 1);
      IOException e = assertThrows(IOException.class, () -> write(ch, bytes(10, 2), 0));
      assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());

      fs.full(true);
      write(ch, bytes(100, 3), 8000);
      assertThrows(IOException.class, () -> write(ch, bytes(100, 4), 8150));
      assertThrows(IOException.class, () -> write(ch, bytes(100, 5), 20_000));
      assertEquals(8192, ch.size(), "nothing of a refused write is there");
      fs.clear();
      write(ch, bytes(100, 6), 8150);
      assertEquals(8250, ch.size());
    }
    fs.fail("flush", "ENOSPC", 1);
    FileChannel ch = open(mnt.resolve("b"));
    assertThrows(IOException.class, ch::close);
  }

  @Test
  void shouldHangEveryOperationUntilReleased() throws Exception {
    Files.writeString(mnt.resolve("a"), "before");
    fs.hang();
    CompletableFuture<String> read =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return Files.readString(mnt.resolve("a"));
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    fs.await("hung", 1, Duration.ofSeconds(10));
    assertFalse(read.isDone(), "a read returned from a hung disk");
    fs.release();
    assertEquals("before", read.get(20, TimeUnit.SECONDS));
    Await.until("nothing hung", Duration.ofSeconds(10), () -> fs.stat("hung") == 0);
  }

  @Test
  void shouldPassThroughWhatTheStoreDoesWithItsDirectoryAndLockFile() throws Exception {
    Path dir = Files.createDirectory(mnt.resolve("sync-msgs.db"));
    Segment.forceDirectory(dir);
    Files.writeString(dir.resolve("x.tmp"), "3");
    Files.move(dir.resolve("x.tmp"), dir.resolve("x"), StandardCopyOption.ATOMIC_MOVE);
    Files.setPosixFilePermissions(dir.resolve("x"), PosixFilePermissions.fromString("rw-------"));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(fs.backing.resolve("sync-msgs.db/x"))));
    try (var list = Files.list(dir)) {
      assertEquals(List.of(dir.resolve("x")), list.toList());
    }
    Files.delete(dir.resolve("x"));
    Files.delete(dir);
    assertFalse(Files.exists(fs.backing.resolve("sync-msgs.db")));

    // OFD locks stay in the kernel (the file system implements no lock operation): a second open
    // file description is refused while the first holds the lock.
    Path lock = mnt.resolve("lock");
    Process holder = ofdLock(lock, 30);
    try {
      Await.until("holder has the lock", Duration.ofSeconds(10), () -> lineOf(holder));
      Process second = ofdLock(lock, 0);
      assertTrue(second.waitFor(10, TimeUnit.SECONDS));
      assertTrue(new String(second.getInputStream().readAllBytes()).startsWith("refused"));
    } finally {
      holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    Process third = ofdLock(lock, 0);
    assertTrue(third.waitFor(10, TimeUnit.SECONDS));
    assertTrue(new String(third.getInputStream().readAllBytes()).startsWith("locked"));
  }

  private static boolean lineOf(Process p) {
    try {
      return p.getInputStream().available() > 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** A child that takes an OFD write lock on {@code file}, says so, and holds it a while. */
  private static Process ofdLock(Path file, int seconds) throws IOException {
    String script =
        "import fcntl, os, struct, sys, time\n"
            + "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)\n"
            + "try:\n"
            + "    fcntl.fcntl(fd, 37, struct.pack('hhqqi', fcntl.F_WRLCK, 0, 0, 0, 0))\n"
            + "    print('locked', flush=True)\n"
            + "except OSError as e:\n"
            + "    print('refused', e, flush=True)\n"
            + "time.sleep(int(sys.argv[2]))\n";
    return new ProcessBuilder(
            "/usr/bin/python3", "-c", script, file.toString(), Integer.toString(seconds))
        .redirectErrorStream(true)
        .start();
  }

  private static FileChannel open(Path p) throws IOException {
    return FileChannel.open(
        p, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  private static void write(FileChannel ch, byte[] data, long at) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(data);
    while (b.hasRemaining()) {
      at += ch.write(b, at);
    }
  }

  private static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (seed * 31 + i * 7 + 1);
    }
    return b;
  }
}
