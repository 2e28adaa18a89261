package io.tandem.broker.store;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * Makes the store's fence reads hang for real, without a special file system: {@code fence} is
 * replaced (by rename, as the broker itself replaces it) with a named pipe, and opening a pipe for
 * reading blocks in the kernel until a writer opens it. The writer's next fence check or group
 * commit then sits in {@code open(2)} exactly as it would on a dead NFS mount. {@link #release}
 * puts a regular fence with the same epoch back and lets the blocked read finish with that epoch.
 */
final class HungFence implements AutoCloseable {
  private final Path store;
  private final Path handle;
  private final byte[] epoch;
  private boolean released;

  private HungFence(Path store, Path handle, byte[] epoch) {
    this.store = store;
    this.handle = handle;
    this.epoch = epoch;
  }

  /** Swaps {@code store/fence} for a pipe holding nobody's epoch yet. */
  static HungFence install(Path store) throws IOException, InterruptedException {
    byte[] epoch = Files.readAllBytes(store.resolve(Fence.FILE));
    Path fifo = store.resolve("fence.pipe");
    Process p = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString()).inheritIO().start();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("mkfifo " + fifo + " failed");
    }
    // a second name for the pipe, to reach it once the fence is a regular file again
    Path handle = store.resolve("fence.pipe-handle");
    Files.createLink(handle, fifo);
    Files.move(fifo, store.resolve(Fence.FILE), StandardCopyOption.ATOMIC_MOVE);
    return new HungFence(store, handle, epoch);
  }

  /**
   * Restores a regular fence with the old epoch, then gives a blocked reader the same epoch and the
   * end of file. Opening the pipe read-write never blocks, whether or not a reader waits.
   */
  synchronized void release() throws IOException {
    if (released) {
      return;
    }
    released = true;
    Path temp = store.resolve("fence.restore");
    Files.write(temp, epoch);
    Files.move(temp, store.resolve(Fence.FILE), StandardCopyOption.ATOMIC_MOVE);
    try (RandomAccessFile pipe = new RandomAccessFile(handle.toFile(), "rw")) {
      pipe.write(epoch);
    }
    Files.deleteIfExists(handle);
  }

  /** The epoch text the fence held, e.g. {@code "1\n"}. */
  String epoch() {
    return new String(epoch, StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    release();
  }
}
