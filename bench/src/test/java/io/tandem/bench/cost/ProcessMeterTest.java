package io.tandem.bench.cost;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProcessMeterTest {
  /** 4 GB in 1 KB arrays: a few hundred young collections, as in one measured bench window. */
  private static final int ARRAYS = 4_000_000;

  /**
   * The eden account of another JVM, as the bench measures a broker, against that JVM's own count
   * of the bytes its threads allocated: with the collector Tandem runs with ({@code bin/tandem}
   * uses the serial one) and the one Artemis's profile sets (G1).
   */
  @ParameterizedTest
  @ValueSource(strings = {"-XX:+UseSerialGC", "-XX:+UseG1GC"})
  void shouldAccountForTheBytesAnotherJvmAllocates(String collector) throws Exception {
    Process p = allocator(collector);
    try (BufferedReader out =
            new BufferedReader(new InputStreamReader(p.getInputStream(), US_ASCII));
        Writer in = new java.io.OutputStreamWriter(p.getOutputStream(), US_ASCII)) {
      assertEquals("ready", out.readLine());
      ProcessMeter m = ProcessMeter.of(p.pid());
      assumeTrue(m.measuresHeap(), "the allocator JVM keeps no perf data");
      m.begin();
      in.write(ARRAYS + "\n");
      in.flush();
      long truth = Long.parseLong(out.readLine());
      ProcessMeter.Cost c = m.end();
      double ratio = (double) c.heapBytes() / truth;
      assertTrue(
          ratio > 0.85 && ratio < 1.2,
          collector + ": " + c.heapBytes() + " counted, " + truth + " allocated");
      assertTrue(c.cpuSeconds() > 0 && c.seconds() > 0, c.toString());
    } finally {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void shouldMeasureCpuOnlyWhenAskedTo() {
    ProcessMeter m = ProcessMeter.cpuOf(ProcessHandle.current().pid());
    m.begin();
    ProcessMeter.Cost c = m.end();
    assertTrue(c.heap().isEmpty());
    assertTrue(c.cpuSeconds() >= 0);
  }

  private static Process allocator(String collector) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classes =
        Path.of(Allocator.class.getProtectionDomain().getCodeSource().getLocation().getPath())
            .toString();
    return new ProcessBuilder(
            List.of(java, collector, "-Xmx1g", "-cp", classes, Allocator.class.getName()))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }
}
