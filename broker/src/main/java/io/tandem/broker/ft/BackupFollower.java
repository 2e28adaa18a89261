package io.tandem.broker.ft;

import io.tandem.broker.store.StoreFollower;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A backup's reader of the shared store ({@code ft_follow}, or an ha-mode warm standby started with
 * {@code --follow-store}): a thread of its own polls the {@link StoreFollower} every {@link
 * #INTERVAL}, so that the activation reads only what the primary wrote since the last pass instead
 * of the whole store. The follower never writes and takes no lock.
 */
public final class BackupFollower implements AutoCloseable {
  // the member's logger: operators and the pair's tests know these lines by it
  private static final Logger LOG = Logger.getLogger(PairMember.class.getName());

  /** How often the backup reads what the primary wrote since the last pass. */
  static final Duration INTERVAL = Duration.ofMillis(250);

  private final StoreFollower follower;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Thread thread;
  private volatile StoreFollower.Status status;
  private volatile boolean abandoned;

  private BackupFollower(StoreFollower follower) {
    this.follower = follower;
    this.status = follower.status();
    this.thread = new Thread(this::run, "ft-store-follower");
    this.thread.setDaemon(true);
  }

  /** Starts polling {@code follower} on its own thread. */
  public static BackupFollower start(StoreFollower follower) {
    BackupFollower f = new BackupFollower(follower);
    f.thread.start();
    LOG.info(
        "store follower started: reading "
            + follower.dir()
            + " every "
            + INTERVAL.toMillis()
            + " ms while it waits");
    return f;
  }

  private void run() {
    try {
      while (stop.getCount() > 0) {
        boolean more = follower.poll();
        status = follower.status();
        if (!more || stop.await(INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      follower.stop("a read failed: " + e);
    } catch (OutOfMemoryError e) {
      // what it held is let go, and the activation recovers in full
      follower.stop("out of memory while following");
    } finally {
      if (abandoned) {
        follower.stop("abandoned by the activation");
      }
      status = follower.status();
    }
  }

  /**
   * Stops polling and returns the follower for the activation's store. A pass still running is
   * waited for up to {@code wait} (a pass reads no more than the primary wrote since the last one,
   * but the first reads the whole store); past that, or if the follower let go, null: the store is
   * then recovered in full, under the store watchdog.
   */
  public StoreFollower takeOver(Duration wait) {
    stop.countDown();
    try {
      thread.join(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      abandoned = true;
      LOG.warning(
          "store follower: its pass did not end within "
              + wait.toMillis()
              + " ms; recovering the store in full");
      return null;
    }
    StoreFollower.Status s = follower.status();
    status = s;
    if (!s.following()) {
      LOG.info(
          "store follower holds nothing to hand over ("
              + (s.stoppedBecause() == null ? "it lost track" : s.stoppedBecause())
              + "); recovering the store in full");
      return null;
    }
    LOG.info(
        "store follower hands over "
            + s.liveMessages()
            + " live messages ("
            + s.liveBytes()
            + " bytes) read up to batch "
            + s.lastBatch());
    return follower;
  }

  /** What {@code /state} shows of the follower, as of its last pass (never waits on the store). */
  Map<String, Object> describe() {
    StoreFollower.Status s = status;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("following", s.following());
    m.put("live_messages", s.liveMessages());
    m.put("live_bytes", s.liveBytes());
    m.put("last_batch", s.lastBatch());
    m.put("restarts", s.restarts());
    m.put("stopped_because", s.stoppedBecause());
    return m;
  }

  /** Stops polling without waiting for a pass that is running. */
  @Override
  public void close() {
    stop.countDown();
  }
}
