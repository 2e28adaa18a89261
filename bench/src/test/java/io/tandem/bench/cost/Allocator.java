package io.tandem.bench.cost;

import java.io.IOException;
import java.lang.management.ManagementFactory;

/**
 * A JVM for {@link ProcessMeterTest} to measure: on each line read it allocates the number of 1 KB
 * arrays the line names and prints what its own threads allocated meanwhile, by the JVM's count.
 */
public final class Allocator {
  private static volatile Object sink;

  private Allocator() {}

  public static void main(String[] args) throws IOException {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    java.io.BufferedReader in =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.US_ASCII));
    System.out.println("ready");
    System.out.flush();
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      int arrays = Integer.parseInt(line.trim());
      long before = threads.getTotalThreadAllocatedBytes();
      Object[] keep = new Object[10_000];
      for (int i = 0; i < arrays; i++) {
        keep[i % keep.length] = new byte[1024];
      }
      sink = keep;
      System.out.println(threads.getTotalThreadAllocatedBytes() - before);
      System.out.flush();
    }
  }
}
