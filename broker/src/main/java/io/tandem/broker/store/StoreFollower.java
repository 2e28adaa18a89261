package io.tandem.broker.store;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Keeps a store's state read while another broker writes it, so that taking the store over reads
 * only what was written since the last pass instead of the whole store. A backup calls {@link
 * #poll} now and then; once it holds the lock and has raised the fence it passes the follower to
 * {@link Stores#open(StoreOptions, StoreIo, StoreFollower)}, whose recovery reads the rest.
 *
 * <p>The follower reads without the lock and never writes. It applies whole batches in the order
 * they were written, as recovery does, and holds every live message's stored bytes: its memory is
 * about the live data of the store. When it cannot explain what it reads (another epoch began
 * writing, compaction deleted a segment it had not read to its end, a read failed) it starts over
 * on the next pass; when the live data exceed {@code maxBytes} it lets go of everything and stops,
 * and a takeover then recovers the store in full.
 */
public final class StoreFollower {
  private static final Logger LOG = Logger.getLogger(StoreFollower.class.getName());

  private final StoreOptions options;
  private final long maxBytes;
  private Preparer preparer;
  private Supplier<? extends Mirror> mirrors;
  private Recovery recovery;
  private long restarts;
  private String stopped;
  private boolean handedOver;
  private boolean tookOver;

  private StoreFollower(StoreOptions options, long maxBytes) {
    this.options = options;
    this.maxBytes = maxBytes;
  }

  /**
   * A follower of the store in {@code options.dir()} (its epoch is not used) that gives up beyond
   * {@code maxBytes} of live data; nothing is read before the first {@link #poll}.
   */
  public static StoreFollower of(StoreOptions options, long maxBytes) {
    return new StoreFollower(options, maxBytes);
  }

  /**
   * Turns a stored message body into what the broker makes of it at recovery, on the follower's
   * thread while it waits, so that the takeover does not decode every live message. Its result
   * reaches the broker as {@link Recovered.RecoveredMessage#prepared}; a body it cannot read (it
   * throws) is read again, and reported, at the takeover.
   */
  @FunctionalInterface
  public interface Preparer {
    /** What the broker makes of {@code data}, a stored message expiring at {@code expiresAt}. */
    Object prepare(byte[] data, long expiresAt);
  }

  /** Has {@code p} prepare each message this follower reads from now on. */
  public synchronized StoreFollower preparing(Preparer p) {
    this.preparer = p;
    return this;
  }

  /**
   * What the broker builds of the live messages while the follower reads, so that a takeover hands
   * the broker its queues ready instead of a list of every message to put into them: it is told of
   * each reference to a message (a queue or subscription key) as it becomes live and as it goes, in
   * the order the store applies them, on the follower's thread and then on the takeover's. A
   * follower that starts over starts a new one. At the takeover the store checks that it holds as
   * many references as the index and passes it on as {@link Recovered#prebuilt}; otherwise the
   * broker gets the list.
   */
  public interface Mirror {
    /**
     * Message {@code messageId} is now in {@code queueKey}; {@code prepared} is what the {@link
     * Preparer} made of it, or null if it could not read it.
     */
    void added(long messageId, String queueKey, Object prepared);

    /**
     * Message {@code messageId}, prepared as when it was added, is no longer in {@code queueKey}.
     */
    void removed(long messageId, String queueKey, Object prepared);

    /** The references it holds. */
    long references();

    /** Why it does not hold every live message (e.g. one could not be prepared), or null. */
    String incomplete();
  }

  /** Has each fresh read of the store keep a mirror from {@code factory} (see {@link Mirror}). */
  public synchronized StoreFollower mirroring(Supplier<? extends Mirror> factory) {
    this.mirrors = factory;
    return this;
  }

  /** What a follower has read, for logs, {@code /state} and metrics. */
  public record Status(
      boolean following,
      long liveMessages,
      long liveBytes,
      long restarts,
      long lastBatch,
      String stoppedBecause,
      boolean tookOver) {}

  /**
   * Reads what was written since the last pass (all of the store on the first, and after the
   * follower lost track). False once it stopped for good.
   */
  public synchronized boolean poll() {
    if (stopped != null || handedOver) {
      return false;
    }
    if (recovery != null && recovery.lost() != null) {
      if (recovery.outOfOrder()) {
        stop(recovery.lost() + "; this file system cannot be followed (set ft_follow = disabled)");
        return false;
      }
      restarts++;
      recovery = null;
    }
    if (recovery == null) {
      recovery = fresh();
      if (!recovery.follow()) {
        return true;
      }
    } else if (!recovery.poll()) {
      return true;
    }
    long bytes = liveBytes(recovery);
    if (bytes > maxBytes) {
      stop(
          "the store's live data ("
              + bytes
              + " bytes) exceed what the follower may hold ("
              + maxBytes
              + " bytes)");
    }
    return stopped == null;
  }

  /** Lets go of what was read; a takeover after this recovers the store in full. */
  public synchronized void stop(String why) {
    if (stopped == null) {
      stopped = why;
      recovery = null;
      LOG.warning("store follower stopped: " + why + "; a takeover recovers the store in full");
    }
  }

  /** What the follower holds now. */
  public synchronized Status status() {
    Recovery r = recovery;
    boolean following = r != null && r.lost() == null && stopped == null && !handedOver;
    return new Status(
        following,
        following ? r.index.messages.size() : 0,
        following ? liveBytes(r) : 0,
        restarts,
        following ? r.index.maxBatch : 0,
        stopped,
        tookOver);
  }

  /**
   * The followed state, completed with everything the stopped writer left, for the store that takes
   * over; null if there is none to hand over (never followed, lost track, stopped, or a different
   * store), and then the caller recovers in full. Call it once the fence is raised.
   */
  synchronized Recovery handOver(StoreOptions taking, StoreIo io) {
    Recovery r = recovery;
    recovery = null;
    if (handedOver || r == null || stopped != null) {
      return null;
    }
    handedOver = true;
    if (!taking.dir().equals(options.dir()) || taking.minimumSize() != options.minimumSize()) {
      return null;
    }
    r.watchedBy(io);
    if (!r.complete()) {
      LOG.warning("store follower lost track at takeover (" + r.lost() + "); recovering in full");
      return null;
    }
    tookOver = true;
    return r;
  }

  private Recovery fresh() {
    List<Journal> journals = Stores.journals(options.dir(), options.minimumSize());
    Recovery r =
        new Recovery(options.dir(), journals, options.forceStart(), options.dupDetectWindow());
    if (mirrors != null) {
      r.index.mirror = mirrors.get();
    }
    return preparer == null ? r : r.prepareWith(preparer);
  }

  private static long liveBytes(Recovery r) {
    long bytes = 0;
    for (Journal j : r.journals()) {
      bytes += r.index.liveBytes(j);
    }
    return bytes;
  }

  /** The store this follower reads. */
  public Path dir() {
    return options.dir();
  }
}
