package io.tandem.bench.cost;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The kernel's clock tick rate ({@code getconf CLK_TCK}), the unit of the CPU times in {@code
 * /proc}. Linux reports 100 on every common architecture; that is the answer when {@code getconf}
 * cannot be run.
 */
final class ClockTicks {
  static final long LINUX_DEFAULT = 100;
  private static volatile long perSecond;

  private ClockTicks() {}

  static long perSecond() {
    long v = perSecond;
    if (v == 0) {
      v = query();
      perSecond = v;
    }
    return v;
  }

  /** {@code getconf}'s answer, or the default when it gives none that is a positive number. */
  static long parse(String getconfOutput) {
    try {
      long v = Long.parseLong(getconfOutput.trim());
      return v > 0 ? v : LINUX_DEFAULT;
    } catch (NumberFormatException e) {
      return LINUX_DEFAULT;
    }
  }

  private static long query() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return LINUX_DEFAULT;
      }
      return parse(out);
    } catch (IOException e) {
      return LINUX_DEFAULT;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return LINUX_DEFAULT;
    }
  }
}
