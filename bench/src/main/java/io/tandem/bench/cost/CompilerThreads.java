package io.tandem.bench.cost;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The CPU ticks of a HotSpot JVM's JIT compiler threads ({@code C1 CompilerThreadN}, {@code C2
 * CompilerThreadN}; the kernel keeps the first 15 characters of a thread's name), one reading per
 * thread from {@code /proc/PID/task/TID/stat}. HotSpot starts and stops compiler threads as the
 * compile queue grows and shrinks: a thread that ended inside an interval took its ticks with it,
 * so {@link #since} is a lower bound.
 */
final class CompilerThreads {
  private final Map<Long, Long> ticksByThread;

  private CompilerThreads(Map<Long, Long> ticksByThread) {
    this.ticksByThread = ticksByThread;
  }

  /** Whether a thread of this name is a JIT compiler thread. */
  static boolean isCompiler(String name) {
    return name.startsWith("C1 CompilerThr") || name.startsWith("C2 CompilerThr");
  }

  static CompilerThreads read(long pid) {
    Map<Long, Long> ticks = new HashMap<>();
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
      for (Path t : threads) {
        try {
          String line = Files.readString(t.resolve("stat"));
          if (isCompiler(ProcStat.name(line))) {
            ticks.put(Long.parseLong(t.getFileName().toString()), ProcStat.parse(line).ticks());
          }
        } catch (IOException | NumberFormatException e) {
          // the thread ended while the directory was read: it has nothing more to count
        }
      }
    } catch (IOException e) {
      // the process is gone or hides its threads: no compiler time can be told
    }
    return new CompilerThreads(ticks);
  }

  /**
   * Ticks the compiler threads of {@code later} used since this reading (threads new since: all).
   */
  long since(CompilerThreads later) {
    long sum = 0;
    for (Map.Entry<Long, Long> e : later.ticksByThread.entrySet()) {
      sum += Math.max(0, e.getValue() - ticksByThread.getOrDefault(e.getKey(), 0L));
    }
    return sum;
  }

  static CompilerThreads of(Map<Long, Long> ticksByThread) {
    return new CompilerThreads(Map.copyOf(ticksByThread));
  }
}
