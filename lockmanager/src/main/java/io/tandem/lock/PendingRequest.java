package io.tandem.lock;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

// The acquire in flight on a ZooKeeper lock, so that closing the lock can fail it at once.
final class PendingRequest {

  private final AtomicReference<CompletableFuture<?>> current = new AtomicReference<>();

  void publish(CompletableFuture<?> request) {
    current.set(request);
  }

  void clear(CompletableFuture<?> request) {
    current.compareAndSet(request, null);
  }

  void fail(LockException failure) {
    CompletableFuture<?> request = current.get();
    if (request != null) {
      request.completeExceptionally(failure);
    }
  }
}
