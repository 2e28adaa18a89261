package io.tandem.lock;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Produces grants for a ZooKeeper lock on its own worker thread: take the mutex, advance the epoch,
 * record the holder, check the node is still ours. A caller that stops waiting (interrupt, answer
 * timeout, lock closed) abandons the request; whichever side loses that race deletes the node, so
 * an abandoned grant never leaves the lock held.
 */
final class ZooKeeperGrants implements AutoCloseable {

  // A lock node of ours, its epoch, and the connection-loss count seen before checking it.
  record Grant(String node, long epoch, long lossesBeforeCheck) {}

  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperGrants.class);

  private final CuratorFramework client;
  private final ZooKeeperLayout layout;
  private final ProcessIdentity identity;
  private final Clock clock;
  private final LongSupplier connectionLosses;
  private final String name;
  private final ExecutorService worker;

  ZooKeeperGrants(
      CuratorFramework client,
      ZooKeeperLayout layout,
      ProcessIdentity identity,
      Clock clock,
      LongSupplier connectionLosses,
      String name) {
    this.client = client;
    this.layout = layout;
    this.identity = identity;
    this.clock = clock;
    this.connectionLosses = connectionLosses;
    this.name = name;
    this.worker =
        Executors.newSingleThreadExecutor(
            CuratorClients.daemonThreads("tandem-lock-worker" + layout.path()));
  }

  /*
   * Asks the worker for a grant, waiting for the lock until lockDeadline and for an answer
   * until answerDeadline. The request is published in pending so that closing the
   * lock can fail it at once. Empty means the lock stayed held elsewhere.
   */
  Optional<Grant> request(long lockDeadline, long answerDeadline, PendingRequest pending) {
    CompletableFuture<Optional<Grant>> result = new CompletableFuture<>();
    pending.publish(result);
    try {
      Future<?> task;
      try {
        task = worker.submit(() -> produce(lockDeadline, result));
      } catch (RejectedExecutionException e) {
        throw new LockException(LockException.Category.CLOSED, name + " is closed", e);
      }
      return await(result, task, answerDeadline);
    } finally {
      pending.clear(result);
    }
  }

  // Deletes a lock node now if connected, else leaves it to Curator's guaranteed delete.
  void delete(String node) {
    if (!client.getZookeeperClient().isConnected()) {
      deleteInBackground(node);
      return;
    }
    try {
      ZooKeeperCalls.run(
          "deleting " + node,
          () -> {
            client.delete().guaranteed().forPath(node);
            return null;
          });
    } catch (LockException e) {
      LOG.warn("{}: {}; Curator keeps deleting it in the background", name, e.getMessage());
    }
  }

  void deleteInBackground(String node) {
    try {
      client.delete().guaranteed().inBackground().forPath(node);
    } catch (Exception e) {
      LOG.warn("{}: could not schedule the deletion of {}", name, node, e);
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }

  boolean awaitTermination(long nanos) throws InterruptedException {
    return worker.awaitTermination(nanos, TimeUnit.NANOSECONDS);
  }

  private Optional<Grant> await(
      CompletableFuture<Optional<Grant>> result, Future<?> task, long answerDeadline) {
    try {
      return result.get(Deadlines.remainingNanos(answerDeadline), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      abandon(result, task);
      Thread.currentThread().interrupt();
      throw Deadlines.interrupted(name, e);
    } catch (TimeoutException e) {
      abandon(result, task);
      throw new LockException(
          LockException.Category.ZOOKEEPER, "no answer from ZooKeeper in time for " + name, e);
    } catch (ExecutionException e) {
      throw rethrown(e.getCause());
    }
  }

  private void produce(long lockDeadline, CompletableFuture<Optional<Grant>> result) {
    try {
      Optional<Grant> grant = lockAndRecord(lockDeadline);
      if (!result.complete(grant)) {
        grant.ifPresent(g -> deleteInBackground(g.node()));
      }
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
  }

  private Optional<Grant> lockAndRecord(long lockDeadline) {
    OwnedMutex mutex = new OwnedMutex(client, layout.lock());
    long waitMs = TimeUnit.NANOSECONDS.toMillis(Deadlines.remainingNanos(lockDeadline));
    if (!ZooKeeperCalls.run(
        "acquiring " + name, () -> mutex.acquire(waitMs, TimeUnit.MILLISECONDS))) {
      return Optional.empty();
    }
    String node = mutex.ownNode();
    try {
      long epoch = ZooKeeperEpoch.advance(client, layout.epoch());
      LockHolder holder = identity.holding(epoch, clock.instant());
      ZooKeeperCalls.run(
          "writing " + layout.holder(),
          () ->
              client
                  .create()
                  .orSetData()
                  .creatingParentsIfNeeded()
                  .forPath(layout.holder(), HolderCodec.encode(holder)));
      long losses = connectionLosses.getAsLong();
      requireOwnSession(node);
      return Optional.of(new Grant(node, epoch, losses));
    } catch (RuntimeException e) {
      deleteInBackground(node);
      throw e;
    }
  }

  /*
   * The mutex may have retried into a new session; only a node that still exists and belongs to the
   * current session means the lock is ours.
   */
  private void requireOwnSession(String node) {
    Stat stat = ZooKeeperCalls.run("checking " + node, () -> client.checkExists().forPath(node));
    long session =
        ZooKeeperCalls.run(
            "reading the session id",
            () -> client.getZookeeperClient().getZooKeeper().getSessionId());
    if (stat == null || stat.getEphemeralOwner() != session) {
      throw new LockException(
          LockException.Category.ZOOKEEPER,
          "the ZooKeeper session changed while acquiring "
              + name
              + "; lock node "
              + node
              + " is not ours");
    }
  }

  private void abandon(CompletableFuture<Optional<Grant>> result, Future<?> task) {
    if (result.cancel(false)) {
      task.cancel(true);
      return;
    }
    try {
      result.getNow(Optional.empty()).ifPresent(g -> deleteInBackground(g.node()));
    } catch (CompletionException | CancellationException e) {
      // it failed or was abandoned already: nothing was granted
    }
  }

  private LockException rethrown(Throwable cause) {
    if (cause instanceof LockException e) {
      return new LockException(e.category(), e.getMessage(), e);
    }
    return new LockException(LockException.Category.ZOOKEEPER, name + ": " + cause, cause);
  }
}
