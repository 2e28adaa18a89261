package io.tandem.broker.store;

import io.tandem.process.time.Clock;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How to open a journal store.
 *
 * @param dir the store directory (holds {@code fence}, {@code meta.db}, {@code sync-msgs.db},
 *     {@code async-msgs.db})
 * @param epoch this writer's epoch; it must not be lower than the one in {@code fence}
 * @param asyncFlushInterval how long a write to {@code async-msgs.db} may stay unflushed ({@code
 *     store_async_flush})
 * @param minimumSize bytes preallocated for each message segment ({@code store_minimum})
 * @param dupDetectWindow producer message ids remembered per destination ({@code
 *     dup_detect_window}); 0 turns duplicate detection off
 * @param forceStart skip corrupt records at recovery instead of refusing to start
 * @param onFenced called once, on the store's writer thread, when another epoch took the store
 * @param clock the store's time: its monotonic side for the flush and fence-check deadlines and the
 *     writer's waits, so that a step of the wall clock neither delays a flush nor fires a check
 *     early; its wall side only for what is dated (how long recovered duplicate ids are kept)
 */
public record StoreOptions(
    Path dir,
    long epoch,
    Duration asyncFlushInterval,
    long minimumSize,
    int dupDetectWindow,
    boolean forceStart,
    FenceListener onFenced,
    Clock clock) {

  /**
   * The largest message body, or transaction, a client may be allowed to send: the largest batch
   * the store accepts ({@link #MAX_BATCH_BYTES}) less 16 MiB of room for the frame headers and the
   * records' own fields (ids, queue keys, destination and producer message id). {@code
   * max_msg_size} and {@code max_txn_size} may not be set above it.
   */
  public static final long MAX_RECORD_BYTES = (512L - 16) * 1024 * 1024;

  /** Smallest segment: enough for a few records, small enough for tests. */
  public static final long MIN_SEGMENT = 64 * 1024;

  /** Default {@code store_minimum}. */
  public static final long DEFAULT_MINIMUM = 64L * 1024 * 1024;

  /** Default {@code dup_detect_window}. */
  public static final int DEFAULT_DUP_WINDOW = 100_000;

  /**
   * The largest batch the store accepts, in bytes of encoded records: one message, or one
   * transaction's messages and acknowledgements together. A larger one is refused with {@code
   * RESOURCE_LIMIT} before anything is written, because recovery reads a segment whole and a batch
   * must fit in one segment of at most 1 GiB next to the segment's reserve. A message's record is
   * its encoded size plus its queue keys and ids, so {@code max_msg_size} must stay below this with
   * room to spare.
   */
  public static final long MAX_BATCH_BYTES = 512L * 1024 * 1024;

  /** Default {@code store_async_flush}. */
  public static final Duration DEFAULT_ASYNC_FLUSH = Duration.ofMillis(100);

  public StoreOptions {
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch must be positive: " + epoch);
    }
    if (asyncFlushInterval.isNegative() || asyncFlushInterval.isZero()) {
      throw new IllegalArgumentException("asyncFlushInterval must be positive");
    }
    minimumSize = Math.min(Math.max(minimumSize, MIN_SEGMENT), SegmentScan.MAX_SEGMENT);
    if (dupDetectWindow < 0) {
      throw new IllegalArgumentException("dupDetectWindow must not be negative");
    }
  }

  /** Defaults for {@code dir} and {@code epoch}; the listener does nothing. */
  public static StoreOptions defaults(Path dir, long epoch) {
    return new StoreOptions(
        dir,
        epoch,
        DEFAULT_ASYNC_FLUSH,
        DEFAULT_MINIMUM,
        DEFAULT_DUP_WINDOW,
        false,
        (own, fence) -> {},
        Clock.system());
  }

  /** A copy with another minimum size. */
  public StoreOptions withMinimumSize(long bytes) {
    return new StoreOptions(
        dir, epoch, asyncFlushInterval, bytes, dupDetectWindow, forceStart, onFenced, clock);
  }

  /** A copy with another epoch. */
  public StoreOptions withEpoch(long e) {
    return new StoreOptions(
        dir, e, asyncFlushInterval, minimumSize, dupDetectWindow, forceStart, onFenced, clock);
  }

  /** A copy that skips corrupt records or not. */
  public StoreOptions withForceStart(boolean force) {
    return new StoreOptions(
        dir, epoch, asyncFlushInterval, minimumSize, dupDetectWindow, force, onFenced, clock);
  }

  /** A copy with another fence listener. */
  public StoreOptions withOnFenced(FenceListener listener) {
    return new StoreOptions(
        dir, epoch, asyncFlushInterval, minimumSize, dupDetectWindow, forceStart, listener, clock);
  }

  /** A copy with another async flush interval. */
  public StoreOptions withAsyncFlushInterval(Duration interval) {
    return new StoreOptions(
        dir, epoch, interval, minimumSize, dupDetectWindow, forceStart, onFenced, clock);
  }

  /** A copy with another clock. */
  public StoreOptions withClock(Clock c) {
    return new StoreOptions(
        dir, epoch, asyncFlushInterval, minimumSize, dupDetectWindow, forceStart, onFenced, c);
  }

  /** A copy with another duplicate window. */
  public StoreOptions withDupDetectWindow(int window) {
    return new StoreOptions(
        dir, epoch, asyncFlushInterval, minimumSize, window, forceStart, onFenced, clock);
  }
}
