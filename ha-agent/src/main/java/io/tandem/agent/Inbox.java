package io.tandem.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/*
 * What other threads ask of the cycle thread (shut down, release, the lease turned suspect, the
 * broker exited), and the one place the cycle thread waits, so that any request wakes it at once.
 */
final class Inbox {

  // A pending switchover: how long to hold off, and the answer for whoever asked.
  record Release(Duration holdOff, CompletableFuture<String> answer) {}

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private String shutdown;
  private String suspect;
  private Release release;
  private Instant holdOffUntil = Instant.MIN;
  private long wakeups;

  void shutdown(String reason) {
    signal(() -> shutdown = shutdown == null ? reason : shutdown);
  }

  void suspect(String reason) {
    signal(() -> suspect = suspect == null ? reason : suspect);
  }

  void release(Release request) {
    signal(
        () -> {
          if (release != null) {
            release
                .answer()
                .completeExceptionally(
                    new AgentException(
                        AgentException.Category.CONTROL, "superseded by a new release"));
          }
          release = request;
        });
  }

  void holdOffUntil(Instant until) {
    signal(() -> holdOffUntil = until);
  }

  void wake() {
    signal(() -> {});
  }

  Optional<String> shutdownReason() {
    return read(() -> Optional.ofNullable(shutdown));
  }

  Optional<String> suspectReason() {
    return read(() -> Optional.ofNullable(suspect));
  }

  // Forgets the suspicion of an ended lease before a new one is served.
  void clearSuspect() {
    signal(() -> suspect = null);
  }

  Optional<Release> takeRelease() {
    lock.lock();
    try {
      Optional<Release> r = Optional.ofNullable(release);
      release = null;
      return r;
    } finally {
      lock.unlock();
    }
  }

  boolean releasePending() {
    return read(() -> release != null);
  }

  Instant holdOffUntil() {
    return read(() -> holdOffUntil);
  }

  // A mark to take before looking at the requests, for awaitAfter.
  long mark() {
    return read(() -> wakeups);
  }

  // Waits until something is posted after mark was taken, or the timeout passes.
  void awaitAfter(long mark, Duration timeout) {
    lock.lock();
    try {
      long nanos = timeout.toNanos();
      while (mark == wakeups && nanos > 0) {
        nanos = changed.awaitNanos(nanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException(AgentException.Category.IO, "interrupted while waiting", e);
    } finally {
      lock.unlock();
    }
  }

  private void signal(Runnable change) {
    lock.lock();
    try {
      change.run();
      wakeups++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private <T> T read(java.util.function.Supplier<T> value) {
    lock.lock();
    try {
      return value.get();
    } finally {
      lock.unlock();
    }
  }
}
