package io.tandem.broker.storagecheck;

import io.tandem.broker.BrokerException;
import io.tandem.lock.FencedLock;
import io.tandem.lock.Lease;
import io.tandem.lock.LockException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Figures that qualify nothing by themselves but size a deployment: latency and bandwidth. */
final class Measurements {
  private static final int MIB = 1024 * 1024;

  private Measurements() {}

  static Map<String, String> run(Path runDir, CheckOptions o) {
    Map<String, String> m = new LinkedHashMap<>();
    try {
      m.put("fdatasync latency", fdatasync(runDir.resolve("fdatasync.dat"), o.fsyncSamples()));
      m.put("sequential write", bandwidth(runDir.resolve("sequential.dat"), o.bandwidthMiB()));
    } catch (IOException e) {
      throw new BrokerException(BrokerException.Category.STORE_IO, "measurement failed: " + e, e);
    }
    m.put("lock acquire latency", lockLatency(runDir, o));
    return m;
  }

  /** Appends 4 KiB blocks, each followed by fdatasync, and reports the distribution. */
  private static String fdatasync(Path file, int samples) throws IOException {
    long[] micros = new long[samples];
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      for (int i = 0; i < samples; i++) {
        Blocks.write(ch, 1, i);
        long t0 = System.nanoTime();
        ch.force(false);
        micros[i] = (System.nanoTime() - t0) / 1000;
      }
    }
    Files.delete(file);
    return samples + " appends of 4 KiB: " + distribution(micros);
  }

  private static String bandwidth(Path file, int mib) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocateDirect(MIB);
    while (chunk.hasRemaining()) {
      chunk.put((byte) chunk.position());
    }
    long t0 = System.nanoTime();
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      for (int i = 0; i < mib; i++) {
        chunk.rewind();
        while (chunk.hasRemaining()) {
          ch.write(chunk);
        }
      }
      ch.force(false);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    Files.delete(file);
    return String.format(
        "%.0f MiB/s (%d MiB in 1 MiB writes, then fdatasync, %.2f s)", mib / seconds, mib, seconds);
  }

  /** Uncontended acquire and release of the lock, as an activation does it. */
  private static String lockLatency(Path runDir, CheckOptions o) {
    Path dir = runDir.resolve("lock-latency");
    long[] micros = new long[o.lockSamples()];
    try {
      Files.createDirectories(dir);
      try (FencedLock lock = o.locks().open(dir, "checker")) {
        for (int i = 0; i < micros.length; i++) {
          long t0 = System.nanoTime();
          Optional<Lease> lease = lock.tryAcquire();
          micros[i] = (System.nanoTime() - t0) / 1000;
          lease.ifPresent(Lease::close);
        }
      }
      return micros.length + " uncontended acquisitions: " + distribution(micros);
    } catch (IOException | LockException e) {
      return "unavailable: " + e.getMessage();
    }
  }

  static String distribution(long[] micros) {
    long[] s = micros.clone();
    Arrays.sort(s);
    return String.format(
        "p50 %s, p90 %s, p99 %s, max %s",
        ms(s[pct(s, 50)]), ms(s[pct(s, 90)]), ms(s[pct(s, 99)]), ms(s[s.length - 1]));
  }

  private static int pct(long[] s, int p) {
    return Math.min(s.length - 1, (int) Math.ceil(s.length * p / 100.0) - 1);
  }

  private static String ms(long micros) {
    return String.format("%.2f ms", micros / 1000.0);
  }
}
