package io.tandem.agent.zookeeper;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.listen.StandardListenerManager;
import org.apache.curator.framework.listen.UnaryListenerManager;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.curator.framework.state.ConnectionStateListenerManagerFactory;

/**
 * Holds a client's SUSPENDED back from its connection-state listeners for a grace period, and drops
 * it altogether if the connection comes back within it.
 *
 * <p>Why: when the ZooKeeper server a client is connected to dies, the client moves to another one
 * within about a second, keeping its session, its ephemeral nodes and so its lock. The lock
 * manager, rightly for a lock on its own, treats any SUSPENDED as "stop writing now" and ends the
 * lease on reconnection; for the agent that would turn the loss of one server out of three into a
 * failover. The session's own guarantee is what the agent relies on instead: nobody else can be
 * granted the lock until the session has expired, which happens a whole session timeout after the
 * servers last heard from this client, while a silent network is noticed here after two thirds of
 * it. A grace shorter than the remaining third still lets the agent stop its broker before another
 * node can take over; the store fence covers the rest.
 *
 * <p>LOST and every other state pass through at once. A SUSPENDED whose grace ran out is delivered,
 * and so is the RECONNECTED that follows it.
 */
public final class ReconnectGrace implements ConnectionStateListenerManagerFactory {
  private static final Logger LOG = Logger.getLogger(ReconnectGrace.class.getName());

  private final Duration grace;
  private final Timer timer;

  /** A factory whose managers hold SUSPENDED back for {@code grace}, timed by {@code timer}. */
  public ReconnectGrace(Duration grace, Timer timer) {
    this.grace = Objects.requireNonNull(grace, "grace");
    this.timer = Objects.requireNonNull(timer, "timer");
  }

  @Override
  public UnaryListenerManager<ConnectionStateListener> newManager(CuratorFramework client) {
    return new Manager();
  }

  /** Wraps a listener; exposed for tests that drive it without a client. */
  public ConnectionStateListener wrap(ConnectionStateListener listener) {
    return new GracefulListener(listener);
  }

  // Keeps each caller's listener wrapped, so removing the original removes the wrapper.
  private final class Manager implements UnaryListenerManager<ConnectionStateListener> {
    private final StandardListenerManager<ConnectionStateListener> wrapped =
        StandardListenerManager.standard();
    private final Map<ConnectionStateListener, ConnectionStateListener> byOriginal =
        new ConcurrentHashMap<>();

    @Override
    public void addListener(ConnectionStateListener listener) {
      wrapped.addListener(byOriginal.computeIfAbsent(listener, GracefulListener::new));
    }

    @Override
    public void addListener(ConnectionStateListener listener, Executor executor) {
      wrapped.addListener(byOriginal.computeIfAbsent(listener, GracefulListener::new), executor);
    }

    @Override
    public void removeListener(ConnectionStateListener listener) {
      ConnectionStateListener w = byOriginal.remove(listener);
      if (w != null) {
        wrapped.removeListener(w);
      }
    }

    @Override
    public void clear() {
      byOriginal.clear();
      wrapped.clear();
    }

    @Override
    public int size() {
      return wrapped.size();
    }

    @Override
    public void forEach(Consumer<ConnectionStateListener> function) {
      wrapped.forEach(function);
    }
  }

  /*
   * One listener's view: SUSPENDED is pending until the grace runs out (then delivered) or the
   * connection returns (then dropped with the RECONNECTED that ended it). Deliveries are
   * serialised so the listener sees states in order.
   */
  private final class GracefulListener implements ConnectionStateListener {
    private final ConnectionStateListener delegate;
    private CuratorFramework client;
    private Timer.Scheduled pending;
    private boolean suspendedDelivered;

    GracefulListener(ConnectionStateListener delegate) {
      this.delegate = delegate;
    }

    @Override
    public synchronized void stateChanged(CuratorFramework c, ConnectionState state) {
      client = c;
      switch (state) {
        case SUSPENDED -> {
          if (pending == null && !suspendedDelivered) {
            LOG.warning(
                "ZooKeeper connection SUSPENDED: the lease stays valid for a grace of "
                    + grace.toMillis()
                    + " ms while the client reconnects");
            pending = timer.schedule(this::graceOver, grace);
          }
        }
        case RECONNECTED, CONNECTED -> {
          if (pending != null) {
            pending.cancel();
            pending = null;
            LOG.info("ZooKeeper connection " + state + " within the grace: session and lock kept");
          } else {
            deliver(state);
          }
        }
        default -> {
          cancelPending();
          deliver(state);
        }
      }
    }

    private synchronized void graceOver() {
      if (pending == null) {
        return;
      }
      pending = null;
      LOG.warning(
          "ZooKeeper connection still SUSPENDED after the grace of "
              + grace.toMillis()
              + " ms: the lease turns suspect");
      deliver(ConnectionState.SUSPENDED);
    }

    private void cancelPending() {
      if (pending != null) {
        pending.cancel();
        pending = null;
      }
    }

    private void deliver(ConnectionState state) {
      suspendedDelivered = state == ConnectionState.SUSPENDED;
      delegate.stateChanged(client, state);
    }
  }
}
