package io.tandem.process.disk;

import io.tandem.process.time.Clock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The disk's own fdatasync rate, as {@code tandem store bench} and the benchmarks report it: how
 * many appends of one record, each followed by fdatasync, a file system completes per second. The
 * file is preallocated, so the figure is the flush alone and not the file's growth.
 */
public final class SyncRate {
  private static final long CAPACITY = 64L * 1024 * 1024;

  private SyncRate() {}

  /**
   * Appends {@code recordBytes}-byte records with fdatasync for {@code each} to a scratch file in
   * {@code dir} (removed afterwards) and returns the appends per second.
   */
  public static double measure(Path dir, int recordBytes, Duration each, Clock clock)
      throws IOException {
    Path file = dir.resolve("fdatasync.bench");
    try (FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            StandardOpenOption.DELETE_ON_CLOSE)) {
      ch.write(ByteBuffer.allocate(1), CAPACITY - 1);
      ch.force(true);
      ByteBuffer record = ByteBuffer.allocate(recordBytes);
      long t0 = clock.nanos();
      long deadline = t0 + each.toNanos();
      long n = 0;
      long at = 0;
      while (clock.nanos() < deadline) {
        record.clear();
        ch.write(record, at);
        ch.force(false);
        at = (at + recordBytes) % (CAPACITY - recordBytes);
        n++;
      }
      return n / ((clock.nanos() - t0) / 1e9);
    }
  }
}
