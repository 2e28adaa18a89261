package io.tandem.broker.destination;

import io.tandem.broker.BrokerException;
import io.tandem.broker.store.MessageStore;
import io.tandem.broker.store.StoreBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A transaction's sends and acknowledgements, held back until commit. Commit stores them as one
 * batch, so after a crash either all of them are visible or none. The sends are held in memory
 * until then, so they count against {@code max_msg_memory}, and their bytes are bounded by {@code
 * max_txn_size}: a send beyond it fails the whole transaction.
 */
public final class LocalTransaction {
  private final MessageStore store;
  private final MemoryBudget memory;
  private final long maxBytes;
  private final List<Route> sends = new ArrayList<>();
  private final List<QueueEntry> accepted = new ArrayList<>();
  private long bytes;
  private BrokerException failure;
  private boolean ended;

  LocalTransaction(MessageStore store, MemoryBudget memory, long maxBytes) {
    this.store = store;
    this.memory = memory;
    this.maxBytes = maxBytes;
  }

  /**
   * Adds a send; it becomes visible at commit. Throws {@code RESOURCE_LIMIT} when it would take the
   * transaction beyond {@code max_txn_size}; the transaction can then only roll back.
   */
  public synchronized void send(Route route) {
    requireOpen();
    long size = route.message().size();
    if (failure == null && bytes + size > maxBytes) {
      failure =
          new BrokerException(
              BrokerException.Category.RESOURCE_LIMIT,
              "transaction exceeds max_txn_size "
                  + maxBytes
                  + " bytes; it can only be rolled back");
    }
    if (failure != null) {
      throw failure;
    }
    bytes += size;
    memory.acquire(size);
    sends.add(route);
  }

  /**
   * Marks the transaction as failed by {@code cause} (a send of it was refused): it can then only
   * roll back, and its commit fails with {@code cause}.
   */
  public synchronized void fail(BrokerException cause) {
    if (failure == null) {
      failure = cause;
    }
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
    long held;
    synchronized (this) {
      requireOpen();
      ended = true;
      routes = List.copyOf(sends);
      acks = List.copyOf(accepted);
      held = bytes;
      if (failure != null) {
        memory.release(held);
        acks.forEach(e -> e.queue().rollbackAccepted(e));
        return CompletableFuture.failedFuture(failure);
      }
    }
    StoreBatch.Builder batch = new StoreBatch.Builder();
    routes.stream().filter(r -> r.add() != null).forEach(r -> batch.add(r.add()));
    acks.forEach(e -> e.queue().prepareAccept(e, batch));
    StoreBatch b = batch.build();
    CompletableFuture<Void> stored =
        b.isEmpty() ? CompletableFuture.completedFuture(null) : store.write(b);
    return stored.handle(
        (ok, failed) -> {
          if (failed != null) {
            memory.release(held);
            acks.forEach(e -> e.queue().rollbackAccepted(e));
            throw new java.util.concurrent.CompletionException(failed);
          }
          routes.forEach(Route::apply);
          memory.release(held);
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
      memory.release(bytes);
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
