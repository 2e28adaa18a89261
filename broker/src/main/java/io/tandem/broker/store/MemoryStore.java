package io.tandem.broker.store;

import io.tandem.broker.BrokerException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A store that keeps nothing: every batch completes at once and recovery finds nothing. Used when a
 * broker is started without persistence, e.g. for tests of the messaging layer.
 */
public final class MemoryStore implements MessageStore {
  private final AtomicBoolean closed = new AtomicBoolean();

  @Override
  public Recovered recover() {
    return Recovered.empty();
  }

  @Override
  public CompletableFuture<Void> write(StoreBatch batch) {
    if (closed.get()) {
      return CompletableFuture.failedFuture(
          new BrokerException(BrokerException.Category.STORE_CLOSED, "store is closed"));
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void close() {
    closed.set(true);
  }
}
