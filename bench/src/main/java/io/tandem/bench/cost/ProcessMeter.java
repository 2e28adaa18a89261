package io.tandem.bench.cost;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures one process over one interval, from {@link #begin} to {@link #end}: its CPU time (user
 * plus system, from {@code /proc/PID/stat}) and, when it is a HotSpot JVM with perf data, the bytes
 * it allocated on its heap. The heap is sampled every {@value #SAMPLE_MS} ms by a thread of this
 * process, so that the young collections in between are seen one by one; each sample reads a few
 * longs from a shared mapping and costs microseconds. The part of the CPU time the JVM's JIT
 * compiler threads used is told apart: a broker started for one repetition is still compiling its
 * own code in the measured window.
 */
public final class ProcessMeter {
  static final long SAMPLE_MS = 20;

  private final long pid;
  private final HeapProbe heap;
  private EdenAccount account;
  private ProcStat cpuAtBegin;
  private CompilerThreads jitAtBegin;
  private long begunNanos;
  private Thread sampler;

  private ProcessMeter(long pid, HeapProbe heap) {
    this.pid = pid;
    this.heap = heap;
  }

  /** CPU time and, if it can be read, heap allocation of the JVM with this PID. */
  public static ProcessMeter of(long pid) {
    return new ProcessMeter(pid, HeapProbe.of(pid).orElse(null));
  }

  /** CPU time only. */
  public static ProcessMeter cpuOf(long pid) {
    return new ProcessMeter(pid, null);
  }

  /** Starts the interval now. */
  public synchronized void begin() {
    if (cpuAtBegin != null) {
      throw new IllegalStateException("already begun");
    }
    if (heap != null) {
      account = new EdenAccount(heap.sample());
      sampler = new Thread(this::sampleUntilEnd, "cost-sampler-" + pid);
      sampler.setDaemon(true);
      sampler.start();
    }
    jitAtBegin = CompilerThreads.read(pid);
    begunNanos = System.nanoTime();
    cpuAtBegin = ProcStat.read(pid);
  }

  /** Ends the interval now and returns what the process spent in it. */
  public Cost end() {
    ProcStat cpu = ProcStat.read(pid);
    long endNanos = System.nanoTime();
    CompilerThreads jit = CompilerThreads.read(pid);
    Thread s;
    synchronized (this) {
      if (cpuAtBegin == null) {
        throw new IllegalStateException("not begun");
      }
      s = sampler;
    }
    long allocated = -1;
    if (s != null) {
      s.interrupt();
      joinQuietly(s);
      synchronized (this) {
        account.add(heap.sample());
        allocated = account.allocated();
      }
    }
    double ticks = ClockTicks.perSecond();
    return new Cost(
        (endNanos - begunNanos) / 1e9,
        (cpu.ticks() - cpuAtBegin.ticks()) / ticks,
        jitAtBegin.since(jit) / ticks,
        allocated);
  }

  private void sampleUntilEnd() {
    long period = TimeUnit.MILLISECONDS.toNanos(SAMPLE_MS);
    while (!Thread.currentThread().isInterrupted()) {
      LockSupport.parkNanos(period);
      synchronized (this) {
        account.add(heap.sample());
      }
    }
  }

  private static void joinQuietly(Thread t) {
    try {
      t.join(TimeUnit.SECONDS.toMillis(60));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The kernel's clock tick rate: CPU times are read in these units. */
  public static long clockTicksPerSecond() {
    return ClockTicks.perSecond();
  }

  /** Whether heap allocation is measured (the process is a HotSpot JVM whose counters we read). */
  public boolean measuresHeap() {
    return heap != null;
  }

  /**
   * What a process spent over an interval.
   *
   * @param seconds the interval's length
   * @param cpuSeconds user plus system CPU time, at clock-tick resolution (10 ms at 100 Hz)
   * @param jitCpuSeconds the part of {@code cpuSeconds} the JIT compiler threads used (at least)
   * @param heapBytes bytes allocated on the heap, or -1 when not measured
   */
  public record Cost(double seconds, double cpuSeconds, double jitCpuSeconds, long heapBytes) {
    /** Optional heap bytes. */
    public Optional<Long> heap() {
      return heapBytes < 0 ? Optional.empty() : Optional.of(heapBytes);
    }
  }
}
