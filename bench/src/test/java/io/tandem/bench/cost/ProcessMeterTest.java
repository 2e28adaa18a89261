package io.tandem.bench.cost;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class ProcessMeterTest {
  private static volatile Object sink;

  /**
   * The eden account against the JVM's own count of the bytes its threads allocated, in this JVM
   * (whatever collector the test runs with): an accuracy check of the method, not of its speed.
   */
  @Test
  void shouldAccountForTheBytesThisJvmAllocates() {
    ProcessMeter m = ProcessMeter.of(ProcessHandle.current().pid());
    assumeTrue(m.measuresHeap(), "this JVM keeps no perf data");
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getTotalThreadAllocatedBytes();
    m.begin();
    Object[] keep = new Object[10_000];
    for (int i = 0; i < 400_000; i++) {
      keep[i % keep.length] = new byte[1024];
    }
    sink = keep;
    ProcessMeter.Cost c = m.end();
    long truth = threads.getTotalThreadAllocatedBytes() - before;
    double ratio = (double) c.heapBytes() / truth;
    assertTrue(ratio > 0.8 && ratio < 1.25, c.heapBytes() + " counted, " + truth + " allocated");
    assertTrue(c.cpuSeconds() >= 0 && c.seconds() > 0, c.toString());
  }

  @Test
  void shouldMeasureCpuOnlyWhenAskedTo() {
    ProcessMeter m = ProcessMeter.cpuOf(ProcessHandle.current().pid());
    m.begin();
    ProcessMeter.Cost c = m.end();
    assertTrue(c.heap().isEmpty());
    assertTrue(c.cpuSeconds() >= 0);
  }
}
