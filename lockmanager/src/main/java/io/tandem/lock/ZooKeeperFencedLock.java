package io.tandem.lock;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The ZooKeeper lock: a Curator mutex under <path>/lock, the epoch advanced by
 * compare-and-set in <path>/epoch, the holder recorded in <path>/holder.
 *
 * The connection state is tracked here rather than trusted from the mutex: SUSPENDED makes the
 * lease SUSPECT at once; LOST ends it; RECONNECTED after a suspension ends it too (its node is
 * deleted), so the holder must acquire again and gets a new epoch. Connection events are handled on
 * this lock's own event thread, in order.
 */
final class ZooKeeperFencedLock extends DeadlineLock {

  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperFencedLock.class);
  private static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final CuratorFramework client;
  private final boolean ownsClient;
  private final ZooKeeperLayout layout;
  private final long answerNanos;
  private final LeaseSlot slot;
  private final AtomicLong connectionLosses = new AtomicLong();
  private final PendingRequest pending = new PendingRequest();
  private final ZooKeeperGrants grants;
  private final ExecutorService events;
  private final ConnectionStateListener listener = (c, state) -> handOver(state);

  ZooKeeperFencedLock(
      CuratorFramework client,
      boolean ownsClient,
      ZooKeeperLayout layout,
      Duration answerTimeout,
      ProcessIdentity identity,
      Clock clock) {
    super(
        "ZooKeeper lock "
            + layout.path()
            + " at "
            + client.getZookeeperClient().getCurrentConnectionString());
    this.client = client;
    this.ownsClient = ownsClient;
    this.layout = layout;
    this.answerNanos = answerTimeout.toNanos();
    this.slot = new LeaseSlot(name);
    this.grants = new ZooKeeperGrants(client, layout, identity, clock, connectionLosses::get, name);
    this.events =
        Executors.newSingleThreadExecutor(
            CuratorClients.daemonThreads("tandem-lock-events" + layout.path()));
    client.getConnectionStateListenable().addListener(listener);
  }

  @Override
  public LockStatus status() {
    return ZooKeeperInspector.inspect(client, layout);
  }

  @Override
  public void close() {
    if (!slot.close()) {
      return;
    }
    client.getConnectionStateListenable().removeListener(listener);
    pending.fail(slot.closed());
    grants.close();
    TrackedLease lease = slot.current();
    if (lease != null) {
      lease.end("the lock was closed");
    }
    events.shutdown();
    awaitQuietly();
    if (ownsClient) {
      client.close();
    }
  }

  /*
   * Tries until lockDeadline. ZooKeeper failures are retried until then, so a blocking
   * acquire rides out a short outage, while tryAcquire (deadline now) reports them.
   */
  @Override
  Optional<Lease> attempt(long lockDeadline) {
    slot.beginAcquire();
    String outcome = "not acquired";
    try {
      while (true) {
        Optional<ZooKeeperGrants.Grant> grant;
        try {
          grant = grants.request(lockDeadline, lockDeadline + answerNanos, pending);
        } catch (LockException e) {
          pauseOrThrow(e, lockDeadline);
          continue;
        }
        if (grant.isEmpty()) {
          return Optional.empty();
        }
        Optional<Lease> lease = install(grant.get(), lockDeadline);
        if (lease.isPresent()) {
          outcome = "acquired";
          return lease;
        }
      }
    } finally {
      slot.abortAcquire(outcome);
    }
  }

  // Installs the lease unless the connection was lost since the grant's ownership check.
  private Optional<Lease> install(ZooKeeperGrants.Grant grant, long lockDeadline) {
    TrackedLease lease =
        new TrackedLease(
            grant.epoch(),
            name,
            l -> release(grant.node(), l),
            () -> client.getZookeeperClient().isConnected());
    LeaseSlot.Outcome outcome = slot.hold(lease, () -> stillOwned(grant));
    if (outcome == LeaseSlot.Outcome.HELD) {
      LOG.info("{}: acquired with epoch {} (node {})", name, grant.epoch(), grant.node());
      checkAclsInBackground();
      return Optional.of(lease);
    }
    grants.deleteInBackground(grant.node());
    if (outcome == LeaseSlot.Outcome.CLOSED) {
      throw slot.closed();
    }
    pauseOrThrow(
        new LockException(
            LockException.Category.ZOOKEEPER,
            "the connection to ZooKeeper was interrupted while acquiring " + name),
        lockDeadline);
    return Optional.empty();
  }

  /*
   * After each acquisition, since the ACLs may have changed meanwhile; on a thread of its own, so
   * that neither the acquirer nor the connection events wait for the answers.
   */
  private void checkAclsInBackground() {
    CuratorClients.daemonThreads("tandem-lock-acl-check" + layout.path())
        .newThread(this::warnIfWritableByOthers)
        .start();
  }

  private void warnIfWritableByOthers() {
    try {
      List<String> open = ZooKeeperAclCheck.writableByOthers(client, layout);
      if (!open.isEmpty()) {
        LOG.warn(
            "{}: the lock's znodes are writable by others, who could reset the epoch or take the"
                + " lock from its holder: {}; set an ACL (the ZooKeeper section of"
                + " docs/security.md)",
            name,
            String.join(", ", open));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      if (!slot.isClosed()) {
        LOG.warn("{}: could not read the ACLs of {}: {}", name, layout.path(), e.toString());
      }
    }
  }

  private boolean stillOwned(ZooKeeperGrants.Grant grant) {
    return connectionLosses.get() == grant.lossesBeforeCheck()
        && client.getZookeeperClient().isConnected();
  }

  // Returns after a short pause if the failure is worth retrying before the deadline.
  private void pauseOrThrow(LockException failure, long lockDeadline) {
    if (slot.isClosed()) {
      throw new LockException(LockException.Category.CLOSED, name + " is closed", failure);
    }
    long remaining = Deadlines.remainingNanos(lockDeadline);
    if (failure.category() != LockException.Category.ZOOKEEPER || remaining <= 0) {
      throw failure;
    }
    LOG.warn("{}: {}; trying again", name, failure.getMessage());
    Deadlines.sleep(Math.min(RETRY_PAUSE_NANOS, remaining), name);
  }

  private void release(String node, TrackedLease lease) {
    try {
      grants.delete(node);
    } finally {
      slot.leaseEnded(lease);
    }
  }

  /*
   * Runs on Curator's event thread and must neither block it nor throw into it (a caller's client
   * may serve others): counts the loss at once, so that a grant checked after it is refused, and
   * passes the state on to this lock's own event thread.
   */
  private void handOver(ConnectionState state) {
    if (!state.isConnected() || state == ConnectionState.READ_ONLY) {
      connectionLosses.incrementAndGet();
    }
    try {
      events.execute(() -> connectionChanged(state));
    } catch (RejectedExecutionException e) {
      LOG.debug("{}: closed; ignoring connection state {}", name, state);
    }
  }

  // Runs on the event thread, one state at a time, in the order Curator reported them.
  private void connectionChanged(ConnectionState state) {
    TrackedLease lease = slot.current();
    if (lease == null) {
      return;
    }
    switch (state) {
      case SUSPENDED, READ_ONLY ->
          lease.suspect(
              "ZooKeeper connection " + state + ": the session may expire and the lock pass on");
      case LOST -> lease.end("ZooKeeper session lost: the lock is gone");
      case CONNECTED, RECONNECTED -> {
        if (lease.state() == LeaseState.SUSPECT) {
          lease.end("reconnected after a suspension; acquire again for a new epoch");
        }
      }
      default -> LOG.debug("{}: connection state {}", name, state);
    }
  }

  private void awaitQuietly() {
    try {
      if (!grants.awaitTermination(answerNanos)
          || !events.awaitTermination(answerNanos, TimeUnit.NANOSECONDS)) {
        LOG.warn("{}: worker threads did not stop in time", name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
