package io.tandem.broker.store;

import io.tandem.process.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The batches waiting for the writer thread, and the store's one close signal. Its monitor also
 * guards the store's state changes: a batch is queued only while the store serves, and a state
 * change away from serving happens under the same monitor, so no batch is queued that nobody will
 * answer. The writer waits here through the store's {@link Clock}, so a test that drives a fake
 * clock drives the writer's flush and fence-check deadlines too.
 */
final class WriteQueue {
  private final Clock clock;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private boolean closeSignalled;

  WriteQueue(Clock clock) {
    this.clock = clock;
  }

  /** A batch waiting for the writer, and the future its client waits on. */
  record Pending(StoreBatch batch, CompletableFuture<Void> future) {}

  /**
   * What the writer takes in one go: every batch queued, and whether close was signalled before
   * they were taken (then they are the last ones: nothing is queued after the signal).
   */
  record Group(List<Pending> batches, boolean closing) {}

  synchronized void add(Pending p) {
    pending.add(p);
    notifyAll();
  }

  /**
   * Tells the writer to commit what is queued, write the clean-shutdown record and stop. Called
   * once, by the close that moved the store to CLOSED; repeating it changes nothing.
   */
  synchronized void signalClose() {
    closeSignalled = true;
    notifyAll();
  }

  /**
   * Waits until a batch is queued, close is signalled, or the clock reaches {@code deadlineNanos}
   * (a deadline already passed does not wait), then takes everything queued. An interrupted writer
   * stops as if close had been signalled.
   */
  synchronized Group take(long deadlineNanos) {
    boolean interrupted = false;
    try {
      // a passed deadline does not enter the clock at all: only real waits count as waiting
      if (deadlineNanos - clock.nanos() > 0) {
        clock.await(this, () -> !pending.isEmpty() || closeSignalled, deadlineNanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      interrupted = true;
    }
    return new Group(drain(), closeSignalled || interrupted);
  }

  /** Takes every batch queued, without waiting. */
  synchronized List<Pending> drain() {
    List<Pending> out = new ArrayList<>(pending);
    pending.clear();
    return out;
  }
}
