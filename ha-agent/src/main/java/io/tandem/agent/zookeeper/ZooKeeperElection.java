package io.tandem.agent.zookeeper;

import io.tandem.agent.AgentException;
import io.tandem.agent.Election;
import io.tandem.agent.Predecessor;
import io.tandem.lock.CuratorClients;
import io.tandem.lock.FencedLock;
import io.tandem.lock.FencedLocks;
import io.tandem.lock.Lease;
import io.tandem.lock.LockException;
import io.tandem.lock.ZooKeeperLockConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The agent's {@link Election} in ZooKeeper: one Curator client (one session) for the agent's life,
 * with the {@link ReconnectGrace}; a fresh {@link FencedLock} on it for each wait, so that a wait
 * can be aborted by closing its lock without touching the session.
 */
public final class ZooKeeperElection implements Election {
  private static final Logger LOG = Logger.getLogger(ZooKeeperElection.class.getName());

  private final ZooKeeperLockConfig config;
  private final String node;
  private final CuratorFramework client;
  private final ScheduledExecutorService timer;
  private final String recordPath;
  private final Object guard = new Object();
  private final AtomicBoolean closed = new AtomicBoolean();
  private FencedLock waiting;
  private FencedLock holding;

  /** Connects (in the background) to the ensemble in {@code config} as {@code node}. */
  public ZooKeeperElection(ZooKeeperLockConfig config, Duration reconnectGrace, String node) {
    this.config = config;
    this.node = node;
    this.recordPath = config.path() + "/active-node";
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "zk-reconnect-grace");
              t.setDaemon(true);
              return t;
            });
    Timer scheduler =
        (task, delay) -> {
          var f = timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
          return () -> f.cancel(false);
        };
    try {
      this.client = CuratorClients.start(config, new ReconnectGrace(reconnectGrace, scheduler));
    } catch (LockException e) {
      timer.shutdownNow();
      throw new AgentException(AgentException.Category.CONFIG, e.getMessage(), e);
    }
  }

  @Override
  public Optional<Lease> await(Duration timeout) {
    FencedLock lock;
    synchronized (guard) {
      if (closed.get()) {
        return Optional.empty();
      }
      closeQuietly(holding);
      holding = null;
      lock = FencedLocks.zooKeeper(client, config.path());
      waiting = lock;
    }
    try {
      Lease lease = lock.acquire(timeout);
      synchronized (guard) {
        waiting = null;
        holding = lock;
      }
      return Optional.of(lease);
    } catch (LockException e) {
      synchronized (guard) {
        waiting = null;
      }
      lock.close();
      return switch (e.category()) {
        case TIMEOUT, CLOSED -> Optional.empty();
        default ->
            throw new AgentException(
                AgentException.Category.ZOOKEEPER,
                "cannot acquire " + lock.describe() + ": " + e.getMessage(),
                e);
      };
    }
  }

  @Override
  public void abort() {
    synchronized (guard) {
      closeQuietly(waiting);
    }
  }

  @Override
  public Optional<Predecessor> recordActive(long epoch) {
    try {
      Stat stat = new Stat();
      Optional<ActiveRecord> before = Optional.empty();
      byte[] mine = new ActiveRecord(node, epoch, false).encode();
      if (client.checkExists().forPath(recordPath) == null) {
        client.create().creatingParentsIfNeeded().forPath(recordPath, mine);
      } else {
        before = ActiveRecord.decode(client.getData().storingStatIn(stat).forPath(recordPath));
        client.setData().withVersion(stat.getVersion()).forPath(recordPath, mine);
      }
      return before
          .filter(r -> !r.stopped() && !r.node().equals(node))
          .map(r -> new Predecessor(r.node(), r.epoch()));
    } catch (Exception e) {
      throw new AgentException(
          AgentException.Category.ZOOKEEPER,
          "cannot record node " + node + " as active in " + recordPath + ": " + e.getMessage(),
          e);
    }
  }

  @Override
  public void recordStopped(long epoch) {
    try {
      Stat stat = new Stat();
      Optional<ActiveRecord> now =
          ActiveRecord.decode(client.getData().storingStatIn(stat).forPath(recordPath));
      if (now.isPresent() && now.get().node().equals(node) && now.get().epoch() == epoch) {
        client
            .setData()
            .withVersion(stat.getVersion())
            .forPath(recordPath, new ActiveRecord(node, epoch, true).encode());
      }
    } catch (KeeperException.BadVersionException e) {
      LOG.info("another node recorded itself active meanwhile; leaving its record");
    } catch (Exception e) {
      LOG.warning(
          "cannot record a clean stop in "
              + recordPath
              + ": "
              + e.getMessage()
              + "; the next node will run its fence command");
    }
  }

  /**
   * The lock as ZooKeeper has it (holder, latest epoch) and the active-node record, as lines for
   * {@code ha-agent status}; read without acquiring anything, so it works with no agent running.
   */
  public static String inspect(ZooKeeperLockConfig config) {
    StringBuilder out = new StringBuilder();
    try {
      out.append("lock: ")
          .append(FencedLocks.inspectZooKeeper(config).describe().replace("\n", "\nlock: "));
    } catch (LockException e) {
      return "lock: unknown (" + e.getMessage() + ")";
    }
    try (CuratorFramework c =
        CuratorClients.start(config.withRetry(Duration.ofMillis(100), Duration.ofMillis(100), 1))) {
      byte[] data =
          c.checkExists().forPath(config.path() + "/active-node") == null
              ? null
              : c.getData().forPath(config.path() + "/active-node");
      out.append("\nactive_node: ")
          .append(
              ActiveRecord.decode(data)
                  .map(
                      r ->
                          r.node()
                              + " (epoch "
                              + r.epoch()
                              + ", "
                              + (r.stopped() ? "stopped" : "active")
                              + ")")
                  .orElse("none recorded"));
    } catch (Exception e) {
      out.append("\nactive_node: unknown (").append(e.getMessage()).append(')');
    }
    return out.toString();
  }

  @Override
  public String describe() {
    return "ZooKeeper lock " + config.path() + " at " + config.connectString();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    synchronized (guard) {
      closeQuietly(waiting);
      closeQuietly(holding);
    }
    client.close();
    timer.shutdownNow();
  }

  private static void closeQuietly(FencedLock lock) {
    if (lock != null) {
      lock.close();
    }
  }
}
