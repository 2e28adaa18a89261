package io.tandem.broker.destination;

import io.tandem.broker.BrokerException;
import io.tandem.broker.store.MessageStore;
import io.tandem.broker.store.StoreBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A transaction's sends and acknowledgements, held back until commit. Commit stores them as one
 * batch, so after a crash either all of them are visible or none.
 */
public final class LocalTransaction {
  private final MessageStore store;
  private final List<Route> sends = new ArrayList<>();
  private final List<QueueEntry> accepted = new ArrayList<>();
  private boolean ended;

  LocalTransaction(MessageStore store) {
    this.store = store;
  }

  /** Adds a send; it becomes visible at commit. */
  public synchronized void send(Route route) {
    requireOpen();
    sends.add(route);
  }

  /** Adds an acknowledgement; the delivery stays out of reach of other consumers until the end. */
  public synchronized void accept(QueueEntry entry) {
    requireOpen();
    if (entry.queue().holdForTransaction(entry)) {
      accepted.add(entry);
    }
  }

  /** Stores everything as one batch, then makes the sends visible and the acks final. */
  public CompletableFuture<Void> commit() {
    List<Route> routes;
    List<QueueEntry> acks;
    synchronized (this) {
      requireOpen();
      ended = true;
      routes = List.copyOf(sends);
      acks = List.copyOf(accepted);
    }
    StoreBatch.Builder batch = new StoreBatch.Builder();
    routes.stream().filter(r -> r.add() != null).forEach(r -> batch.add(r.add()));
    acks.forEach(e -> e.queue().prepareAccept(e, batch));
    StoreBatch b = batch.build();
    CompletableFuture<Void> stored =
        b.isEmpty() ? CompletableFuture.completedFuture(null) : store.write(b);
    return stored.handle(
        (ok, failure) -> {
          if (failure != null) {
            acks.forEach(e -> e.queue().rollbackAccepted(e));
            throw new java.util.concurrent.CompletionException(failure);
          }
          routes.forEach(Route::apply);
          acks.forEach(e -> e.queue().commitAccepted(e));
          return null;
        });
  }

  /** Discards the sends and returns the acknowledged deliveries for redelivery. */
  public void rollback() {
    List<QueueEntry> acks;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      acks = List.copyOf(accepted);
    }
    acks.forEach(e -> e.queue().rollbackAccepted(e));
  }

  private void requireOpen() {
    if (ended) {
      throw new BrokerException(
          BrokerException.Category.ILLEGAL_STATE, "transaction already ended");
    }
  }
}
