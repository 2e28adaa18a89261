package io.tandem.broker;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A value read from the file system (store sizes, the lock file's holder) for the admin endpoint,
 * read on a daemon thread of its own: a read that hangs on a dead disk leaves the last value in
 * place, and the caller waits at most a bounded time. {@code /health}, {@code /state} and {@code
 * /metrics} must answer however hung the store is, or a hung disk would hang them too.
 */
public final class BackgroundValue<T> implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(BackgroundValue.class.getName());

  private final Supplier<T> read;
  private final long maxAgeNanos;
  private final long waitNanos;
  private final ExecutorService reader;
  private volatile T last;
  private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);
  private long readAtNanos;
  private boolean started;

  /**
   * Reads with {@code read} on a thread named {@code thread}, at most once per {@code maxAge};
   * {@link #get} waits up to {@code wait} for a read it started. {@code initial} stands in until
   * the first read completes.
   */
  public BackgroundValue(
      String thread, Supplier<T> read, T initial, Duration maxAge, Duration wait) {
    this.read = read;
    this.last = initial;
    this.maxAgeNanos = maxAge.toNanos();
    this.waitNanos = wait.toNanos();
    this.reader =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, thread);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * The latest value read. If it is older than the maximum age and no read is in progress, a read
   * starts and this waits for it up to the bound; a read already in progress is not waited for.
   */
  public T get() {
    CompletableFuture<Void> f = refresh();
    if (f == null) {
      return last;
    }
    try {
      f.get(waitNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      // still reading (a hung disk): answer with what was read before
    } catch (ExecutionException e) {
      LOG.log(Level.FINE, "background read failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return last;
  }

  private synchronized CompletableFuture<Void> refresh() {
    long now = System.nanoTime();
    if (!inFlight.isDone() || (started && now - readAtNanos < maxAgeNanos)) {
      return null;
    }
    started = true;
    readAtNanos = now;
    try {
      inFlight = CompletableFuture.runAsync(() -> last = read.get(), reader);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return null; // closed
    }
    return inFlight;
  }

  /** Stops the reader thread; idempotent. */
  @Override
  public void close() {
    reader.shutdownNow();
  }
}
