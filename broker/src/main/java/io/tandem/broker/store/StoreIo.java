package io.tandem.broker.store;

import io.tandem.process.time.Clock;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Which store operations are in progress and since when, on a monotonic clock: the writer marks
 * each step of its loop (a group commit, a periodic flush, a fence check, a compaction round), the
 * preallocator each segment it creates, recovery each file it reads. Waiting for work is never an
 * operation, so an operation that stays open for long means a file system call that does not
 * return. {@link StoreWatchdog} compares the oldest one with {@code store_io_timeout}.
 *
 * <p>It only records; nothing here blocks or touches the file system, so the admin endpoint may
 * read it on its own thread however hung the disk is.
 */
public final class StoreIo {
  private final Clock clock;
  private final Set<Operation> running = ConcurrentHashMap.newKeySet();
  private final AtomicReference<Operation> slowestFinished = new AtomicReference<>();

  /** Records operations on {@code clock}'s monotonic time. */
  public StoreIo(Clock clock) {
    this.clock = clock;
  }

  /** On {@link Clock#system}. */
  public static StoreIo system() {
    return new StoreIo(Clock.system());
  }

  /**
   * Marks {@code what} as started now; closing the result marks it done. {@code what} names the
   * operation for the log line and {@code /state} (e.g. {@code "group commit of 3 batches"}).
   */
  public Operation begin(String what) {
    Operation op = new Operation(this, what, clock.nanos());
    running.add(op);
    return op;
  }

  /** Runs {@code action} as the operation {@code what}. */
  public void run(String what, Runnable action) {
    Operation op = begin(what);
    try {
      action.run();
    } finally {
      op.close();
    }
  }

  /** Runs {@code action} as the operation {@code what}; its result. */
  public <T> T get(String what, Supplier<T> action) {
    Operation op = begin(what);
    try {
      return action.get();
    } finally {
      op.close();
    }
  }

  /** Runs the file system call {@code action} as the operation {@code what}; its result. */
  public <T> T call(String what, IoCall<T> action) throws IOException {
    Operation op = begin(what);
    try {
      return action.call();
    } finally {
      op.close();
    }
  }

  /** A file system call. */
  @FunctionalInterface
  public interface IoCall<T> {
    /** Performs it. */
    T call() throws IOException;
  }

  /** The operation that has been running longest, if any runs. */
  public Optional<Operation> oldest() {
    Operation oldest = null;
    for (Operation op : running) {
      if (oldest == null || op.startedNanos - oldest.startedNanos < 0) {
        oldest = op;
      }
    }
    return Optional.ofNullable(oldest);
  }

  /**
   * The slowest operation that returned since the last {@link #takeSlowestFinished}: one that took
   * longer than the timeout but returned between two checks must not go unnoticed.
   */
  public Optional<Operation> slowestFinished() {
    return Optional.ofNullable(slowestFinished.get());
  }

  /** Like {@link #slowestFinished}, and starts over. */
  public Optional<Operation> takeSlowestFinished() {
    return Optional.ofNullable(slowestFinished.getAndSet(null));
  }

  private void finished(Operation op) {
    running.remove(op);
    slowestFinished.accumulateAndGet(
        op, (a, b) -> a == null || b.durationNanos() > a.durationNanos() ? b : a);
  }

  /** Now, on the clock operations are timed on. */
  public long nanoTime() {
    return clock.nanos();
  }

  /** The clock operations are timed on; the watchdog ticks on it too. */
  public Clock clock() {
    return clock;
  }

  /** One store operation in progress. Close it when the call returns, however it returns. */
  public static final class Operation implements AutoCloseable {
    private final StoreIo owner;
    private final String what;
    private final long startedNanos;
    private volatile boolean finished;
    private volatile long durationNanos = -1;

    private Operation(StoreIo owner, String what, long startedNanos) {
      this.owner = owner;
      this.what = what;
      this.startedNanos = startedNanos;
    }

    /** What it does. */
    public String what() {
      return what;
    }

    /** When it started, on the tracker's clock. */
    public long startedNanos() {
      return startedNanos;
    }

    /** Whether it has returned. */
    public boolean finished() {
      return finished;
    }

    /** How long it took, once it returned; until then how long it has been running. */
    public long durationNanos() {
      long d = durationNanos;
      return d >= 0 ? d : owner.nanoTime() - startedNanos;
    }

    @Override
    public void close() {
      if (finished) {
        return;
      }
      durationNanos = owner.nanoTime() - startedNanos;
      finished = true;
      owner.finished(this);
    }

    @Override
    public String toString() {
      return what;
    }
  }
}
