package io.tandem.agent;

import io.tandem.process.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/*
 * What other threads ask of the cycle thread (shut down, release, the lease turned suspect, the
 * broker exited), and the one place the cycle thread waits, so that any request wakes it at once.
 * The wait runs through the agent's clock, so a test's fake clock ends it when advanced.
 */
final class Inbox {

  // A pending switchover: how long to hold off, and the answer for whoever asked.
  record Release(Duration holdOff, CompletableFuture<String> answer) {}

  private final Object lock = new Object();
  private final Clock clock;
  private String shutdown;
  private String suspect;
  private Release release;
  private Instant holdOffUntil = Instant.MIN;
  private long wakeups;

  Inbox(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

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
    synchronized (lock) {
      Optional<Release> r = Optional.ofNullable(release);
      release = null;
      return r;
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
    synchronized (lock) {
      try {
        clock.await(lock, () -> mark != wakeups, clock.nanos() + timeout.toNanos());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AgentException(AgentException.Category.IO, "interrupted while waiting", e);
      }
    }
  }

  private void signal(Runnable change) {
    synchronized (lock) {
      change.run();
      wakeups++;
      lock.notifyAll();
    }
  }

  private <T> T read(Supplier<T> value) {
    synchronized (lock) {
      return value.get();
    }
  }
}
