package io.tandem.broker.store;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Watches {@link StoreIo} for a store operation that does not return: a file system whose calls
 * block (a hard NFS mount whose server went away) never fails a flush, so without this a broker
 * would keep answering {@code /health} 200 while every producer waits.
 *
 * <pre>
 * WATCHING ──(an operation older than store_io_timeout)──► STALLED ──(it returned, or
 *                                                          store_io_exit_grace passed)──► EXITING
 * </pre>
 *
 * <p>STALLED tells the listener to stop serving; EXITING to end the process. Both are final: a
 * store that stopped answering once is not trusted to serve again, and clients and supervisors have
 * been told it failed. All timing is on the tracker's monotonic clock, so a step of the wall clock
 * neither fires nor delays it. {@link #check} does one evaluation (tests call it with a fake
 * clock); {@link #start} runs it periodically on a thread that waits through the tracker's clock
 * (so a fake clock advanced by a test makes it tick), until {@link #close}.
 */
public final class StoreWatchdog implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(StoreWatchdog.class.getName());

  /** Default {@code store_io_timeout}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** Default {@code store_io_exit_grace}. */
  public static final Duration DEFAULT_EXIT_GRACE = Duration.ofSeconds(5);

  /**
   * Smallest {@code store_io_timeout}: a flush on a busy disk or NFS can take hundreds of
   * milliseconds without anything being wrong, and a healthy broker must not stop for that.
   */
  public static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);

  /** The watchdog's states; {@link #transition} is the one place that changes it. */
  public enum State {
    /** Every store operation returned within {@code store_io_timeout}. */
    WATCHING,
    /** An operation has not returned within {@code store_io_timeout}: the broker stops serving. */
    STALLED,
    /** The stalled operation returned late, or the grace ran out: the process exits. */
    EXITING;

    /** The lower-case name used in JSON and logs. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What the broker does about a stall. Called on the watchdog's thread, at most once each. */
  public interface Listener {
    /** Stop serving at once: close client connections and listeners, without touching the store. */
    void stalled(String reason);

    /** End the process with {@code STORE_STALLED}; {@code reason} names operation and duration. */
    void exit(String reason);
  }

  private final StoreIo io;
  private final long timeoutNanos;
  private final long graceNanos;
  private final Listener listener;
  private final AtomicReference<State> state = new AtomicReference<>(State.WATCHING);
  private volatile StoreIo.Operation stalledOp;
  private volatile long stalledAtNanos;
  private volatile String reason = "";

  /** Started once, closed once: {@link #start} and {@link #close} move it by compare-and-set. */
  private enum Lifecycle {
    NEW,
    TICKING,
    CLOSED
  }

  private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.NEW);

  /** What the ticking thread waits on between checks; {@link #close} notifies it. */
  private final Object closeSignal = new Object();

  /**
   * Watches {@code io}: an operation older than {@code timeout} stalls the store; {@code grace}
   * later (or as soon as that operation returns) the listener is told to exit.
   */
  public StoreWatchdog(StoreIo io, Duration timeout, Duration grace, Listener listener) {
    if (timeout.compareTo(MIN_TIMEOUT) < 0) {
      throw new IllegalArgumentException("store_io_timeout must be at least " + MIN_TIMEOUT);
    }
    if (grace.isNegative()) {
      throw new IllegalArgumentException("store_io_exit_grace must not be negative");
    }
    this.io = io;
    this.timeoutNanos = timeout.toNanos();
    this.graceNanos = grace.toNanos();
    this.listener = listener;
  }

  /** The tracker the store marks its operations on. */
  public StoreIo io() {
    return io;
  }

  /** Evaluates once, at the tracker's current time. */
  public void check() {
    long now = io.nanoTime();
    State s = state.get();
    if (s == State.WATCHING) {
      Optional<StoreIo.Operation> late =
          io.takeSlowestFinished().filter(op -> op.durationNanos() >= timeoutNanos);
      Optional<StoreIo.Operation> oldest = io.oldest();
      if (oldest.isPresent() && now - oldest.get().startedNanos() >= timeoutNanos) {
        stall(oldest.get(), now);
      } else if (late.isPresent()) {
        // it took longer than the timeout but returned between two checks; the next check exits
        stall(late.get(), now);
      }
    } else if (s == State.STALLED) {
      StoreIo.Operation op = stalledOp;
      if (op.finished()) {
        expire(
            op.what()
                + " returned after more than store_io_timeout ("
                + ms(timeoutNanos)
                + " ms); a store that stalled is not trusted to serve again");
      } else if (now - stalledAtNanos >= graceNanos) {
        expire(
            op.what()
                + " has not returned for "
                + seconds(now - op.startedNanos())
                + " s (store_io_timeout "
                + ms(timeoutNanos)
                + " ms, store_io_exit_grace "
                + ms(graceNanos)
                + " ms)");
      }
    }
  }

  private void stall(StoreIo.Operation op, long now) {
    stalledOp = op;
    stalledAtNanos = now;
    String why =
        "store stalled: "
            + op.what()
            + (op.finished() ? " took " : " has not returned for ")
            + seconds(op.durationNanos())
            + " s (store_io_timeout "
            + ms(timeoutNanos)
            + " ms)";
    if (transition(State.WATCHING, State.STALLED, why)) {
      reason = why;
      listener.stalled(why);
    }
  }

  private void expire(String why) {
    if (transition(State.STALLED, State.EXITING, why)) {
      listener.exit(why);
    }
  }

  private boolean transition(State from, State to, String why) {
    if (!state.compareAndSet(from, to)) {
      return false;
    }
    LOG.log(Level.INFO, "store watchdog " + from.label() + " -> " + to.label() + ": " + why);
    return true;
  }

  /** The current state. */
  public State state() {
    return state.get();
  }

  /**
   * Whether the store answers: no stall declared and no operation older than the timeout right now
   * (so {@code /health} leaves 200 the moment the timeout passes, not at the next check).
   */
  public boolean live() {
    if (state.get() != State.WATCHING
        || io.slowestFinished().filter(op -> op.durationNanos() >= timeoutNanos).isPresent()) {
      return false;
    }
    Optional<StoreIo.Operation> oldest = io.oldest();
    return oldest.isEmpty() || io.nanoTime() - oldest.get().startedNanos() < timeoutNanos;
  }

  /** Why the store is not live, starting with {@code store stalled}; empty while it is. */
  public String reason() {
    if (!reason.isEmpty()) {
      return reason;
    }
    if (live()) {
      return "";
    }
    Optional<StoreIo.Operation> op =
        io.oldest()
            .filter(o -> o.durationNanos() >= timeoutNanos)
            .or(() -> io.slowestFinished().filter(o -> o.durationNanos() >= timeoutNanos));
    if (op.isEmpty()) {
      return "";
    }
    return "store stalled: "
        + op.get().what()
        + (op.get().finished() ? " took " : " has not returned for ")
        + seconds(op.get().durationNanos())
        + " s (store_io_timeout "
        + ms(timeoutNanos)
        + " ms)";
  }

  /** Seconds the oldest unfinished store operation has been running; 0 when none runs. */
  public double oldestAgeSeconds() {
    return io.oldest().map(op -> (io.nanoTime() - op.startedNanos()) / 1e9).orElse(0.0);
  }

  /** For {@code /state}: the state, the limits, and the oldest operation in progress. */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", live() ? State.WATCHING.label() : stalledLabel());
    m.put("store_io_timeout_ms", ms(timeoutNanos));
    m.put("store_io_exit_grace_ms", ms(graceNanos));
    Optional<StoreIo.Operation> oldest = io.oldest();
    m.put("oldest_operation", oldest.map(StoreIo.Operation::what).orElse(""));
    m.put(
        "oldest_operation_age_ms",
        oldest.map(op -> ms(io.nanoTime() - op.startedNanos())).orElse(0L));
    String why = reason();
    if (!why.isEmpty()) {
      m.put("reason", why);
    }
    return m;
  }

  private String stalledLabel() {
    State s = state.get();
    return s == State.WATCHING ? State.STALLED.label() : s.label();
  }

  /**
   * Checks every tenth of the timeout (at most every 500 ms) of the tracker's monotonic clock, on a
   * daemon thread, until {@link #close}. Starts once; a second start, or a start after close, is
   * refused.
   */
  public StoreWatchdog start() {
    if (!lifecycle.compareAndSet(Lifecycle.NEW, Lifecycle.TICKING)) {
      throw new IllegalStateException("store watchdog already started or closed");
    }
    long tick = TimeUnit.MILLISECONDS.toNanos(Math.max(10, Math.min(500, ms(timeoutNanos) / 10)));
    Thread t = new Thread(() -> tickUntilClosed(tick), "store-watchdog");
    t.setDaemon(true);
    t.start();
    return this;
  }

  private void tickUntilClosed(long tickNanos) {
    long next = io.nanoTime() + tickNanos;
    while (tickDue(next)) {
      checkQuietly();
      next = io.nanoTime() + tickNanos;
    }
  }

  /** Waits for the next check; false once closed (or interrupted). */
  private boolean tickDue(long deadlineNanos) {
    synchronized (closeSignal) {
      try {
        io.clock().await(closeSignal, () -> lifecycle.get() == Lifecycle.CLOSED, deadlineNanos);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      return lifecycle.get() != Lifecycle.CLOSED;
    }
  }

  private void checkQuietly() {
    try {
      check();
    } catch (RuntimeException e) {
      // a failed check must not cancel the schedule: the next one may be the one that matters
      LOG.log(Level.SEVERE, "store watchdog check failed", e);
    }
  }

  /** Stops checking; idempotent. A check already running finishes; no further one starts. */
  @Override
  public void close() {
    if (lifecycle.getAndSet(Lifecycle.CLOSED) == Lifecycle.CLOSED) {
      return;
    }
    synchronized (closeSignal) {
      closeSignal.notifyAll();
    }
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
  }
}
