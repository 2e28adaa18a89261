package io.tandem.bench;

import io.tandem.bench.cost.ProcessMeter;
import io.tandem.process.disk.SyncRate;
import io.tandem.process.time.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The machine a run measured: what it is, how fast its disk completes a 1 KB append plus fdatasync
 * (measured in the run, on the file system holding the brokers' stores), how busy it was, and the
 * kernel's clock tick rate (the resolution of the CPU times in {@code /proc}).
 */
record Machine(
    int cores,
    String cpu,
    long memoryMb,
    String os,
    String java,
    double fdatasyncPerSecond,
    long clockTicksPerSecond) {

  static Machine measure(Path dir, Duration fdatasyncFor) throws IOException {
    return new Machine(
        Runtime.getRuntime().availableProcessors(),
        procField("/proc/cpuinfo", "model name"),
        Long.parseLong(procField("/proc/meminfo", "MemTotal").replaceAll("[^0-9]", "")) / 1024,
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        fdatasyncRate(dir, fdatasyncFor),
        ProcessMeter.clockTicksPerSecond());
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
    return SyncRate.measure(dir, 1024, each, Clock.system());
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
