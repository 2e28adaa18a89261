package io.tandem.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;

/**
 * The machine a run measured: what it is, how fast its disk completes a 1 KB append plus fdatasync
 * (measured in the run, on the file system holding the brokers' stores), and how busy it was.
 */
record Machine(
    int cores, String cpu, long memoryMb, String os, String java, double fdatasyncPerSecond) {

  static Machine measure(Path dir, Duration fdatasyncFor) throws IOException {
    return new Machine(
        Runtime.getRuntime().availableProcessors(),
        procField("/proc/cpuinfo", "model name"),
        Long.parseLong(procField("/proc/meminfo", "MemTotal").replaceAll("[^0-9]", "")) / 1024,
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        fdatasyncRate(dir, fdatasyncFor));
  }

  /** The 1-, 5- and 15-minute load averages. */
  static double[] loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return new double[] {
        Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2])
      };
    } catch (IOException | RuntimeException e) {
      return new double[] {-1, -1, -1};
    }
  }

  static String formatLoad(double[] load) {
    return String.format(Locale.ROOT, "%.2f %.2f %.2f", load[0], load[1], load[2]);
  }

  /** fdatasync per second of 1 KB appends to a preallocated file, as {@code tandem store bench}. */
  static double fdatasyncRate(Path dir, Duration each) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve("fdatasync.bench");
    int size = 1024;
    long capacity = 64L * 1024 * 1024;
    try (FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            StandardOpenOption.DELETE_ON_CLOSE)) {
      ch.write(ByteBuffer.allocate(1), capacity - 1);
      ch.force(true);
      ByteBuffer record = ByteBuffer.allocate(size);
      long t0 = System.nanoTime();
      long deadline = t0 + each.toNanos();
      long n = 0;
      long at = 0;
      while (System.nanoTime() < deadline) {
        record.clear();
        ch.write(record, at);
        ch.force(false);
        at = (at + size) % (capacity - size);
        n++;
      }
      return n / ((System.nanoTime() - t0) / 1e9);
    }
  }

  private static String procField(String file, String field) {
    try {
      for (String line : Files.readAllLines(Path.of(file))) {
        if (line.startsWith(field)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      return "unknown";
    }
    return "unknown";
  }
}
