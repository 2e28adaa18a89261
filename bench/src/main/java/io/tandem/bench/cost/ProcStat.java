package io.tandem.bench.cost;

import io.tandem.bench.BenchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time fields of {@code /proc/PID/stat}: {@code utime} and {@code stime}, fields 14 and 15,
 * in clock ticks. The second field is the command name in parentheses, which may itself hold spaces
 * and parentheses, so the fields are counted from the last closing parenthesis.
 */
record ProcStat(long userTicks, long systemTicks) {
  /** Fields after the command name: the state is field 3, so utime (14) is the 12th of them. */
  private static final int UTIME_AFTER_NAME = 11;

  long ticks() {
    return userTicks + systemTicks;
  }

  static ProcStat read(long pid) {
    Path file = Path.of("/proc", Long.toString(pid), "stat");
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new BenchException(BenchException.Category.FAILED, "cannot read " + file, e);
    }
  }

  static ProcStat parse(String line) {
    int close = line.lastIndexOf(')');
    if (close < 0) {
      throw malformed(line);
    }
    String[] f = line.substring(close + 1).trim().split("\\s+");
    if (f.length <= UTIME_AFTER_NAME + 1) {
      throw malformed(line);
    }
    try {
      return new ProcStat(
          Long.parseLong(f[UTIME_AFTER_NAME]), Long.parseLong(f[UTIME_AFTER_NAME + 1]));
    } catch (NumberFormatException e) {
      throw malformed(line);
    }
  }

  /** The command (a thread's name, for a task's stat): what the parentheses hold. */
  static String name(String line) {
    int open = line.indexOf('(');
    int close = line.lastIndexOf(')');
    if (open < 0 || close < open) {
      throw malformed(line);
    }
    return line.substring(open + 1, close);
  }

  private static BenchException malformed(String line) {
    String shown = line.length() > 200 ? line.substring(0, 200) + "..." : line;
    return new BenchException(
        BenchException.Category.FAILED, "not a /proc/PID/stat line: " + shown.trim());
  }
}
