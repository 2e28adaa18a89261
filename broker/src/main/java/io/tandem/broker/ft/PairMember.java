package io.tandem.broker.ft;

import io.tandem.broker.BackgroundValue;
import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import io.tandem.broker.Role;
import io.tandem.broker.RoleMachine;
import io.tandem.broker.admin.AdminServer;
import io.tandem.broker.admin.BrokerView;
import io.tandem.broker.amqp.AmqpServer;
import io.tandem.broker.amqp.ConnectionRegistry;
import io.tandem.broker.config.BrokerConfig;
import io.tandem.broker.config.ConfigLoader;
import io.tandem.broker.config.Endpoint;
import io.tandem.broker.destination.Destinations;
import io.tandem.broker.destination.MemoryBudget;
import io.tandem.broker.metrics.BrokerMetrics;
import io.tandem.broker.server.Broker;
import io.tandem.broker.store.MessageStore;
import io.tandem.broker.store.StoreFollower;
import io.tandem.broker.store.StoreWatchdog;
import io.tandem.lock.FencedLock;
import io.tandem.lock.Lease;
import io.tandem.lock.LeaseEvent;
import io.tandem.lock.LeaseListener;
import io.tandem.lock.LockException;
import io.tandem.process.time.Clock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * One member of a hot-warm pair. It serves the admin endpoint from the start; whoever obtains the
 * store lock is primary, the other is backup and keeps the peer link to the primary. When the link
 * breaks or the primary is silent for {@code ft_activation}, the backup obtains the lock (never
 * activating without it) and runs its {@link Activation}: raise the fence above every earlier
 * epoch, re-read the configuration, recover the store and serve.
 */
public final class PairMember implements BrokerView, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(PairMember.class.getName());

  /** Opens the store at an epoch; the caller decides what a moved fence does to the process. */
  @FunctionalInterface
  public interface StoreOpener {
    /** Opens the store of {@code config} for writing at {@code epoch}. */
    MessageStore open(BrokerConfig config, long epoch);

    /**
     * Like {@link #open(BrokerConfig, long)}, taking over what {@code follower} read of the store
     * (null: none, recover in full).
     */
    default MessageStore open(BrokerConfig config, long epoch, StoreFollower follower) {
      return open(config, epoch);
    }

    /** A follower of the store of {@code config} for a backup ({@code ft_follow}); null: none. */
    default StoreFollower follower(BrokerConfig config) {
      return null;
    }
  }

  /** Reads the configuration again when the member activates ({@link ConfigLoader#load}). */
  @FunctionalInterface
  interface ConfigReader {
    BrokerConfig load(Path configFile);
  }

  /**
   * What a member works with. {@code onFatal} hears what must end the process (in production it
   * halts it with the exit code of the exception's category); {@code credentials} is null when the
   * pair does not authenticate; {@code watchdog} watches the stores {@code opener} opens (null:
   * none). {@code peer} is the link state {@code link} writes and {@code /state} shows.
   */
  record Parts(
      Path configFile,
      BrokerConfig config,
      FencedLock lock,
      PrimaryLink link,
      PeerStatus peer,
      StoreOpener opener,
      ConfigReader configs,
      Clock clock,
      Consumer<BrokerException> onFatal,
      StoreWatchdog watchdog,
      Supplier<PeerCredentials> credentials) {
    Parts {
      Objects.requireNonNull(config.ft(), "ft_active");
      Objects.requireNonNull(lock, "lock");
      Objects.requireNonNull(link, "link");
      Objects.requireNonNull(clock, "clock");
    }
  }

  private final Parts parts;
  private final Clock clock;
  private final RoleMachine roles;
  private final BrokerMetrics metrics = new BrokerMetrics();
  private final Activation activation;
  private final FencedLock lock;
  private final PrimaryLink link;
  private final long startedNanos;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final LeaseListener leaseWatch = this::leaseEvent;
  private volatile BrokerConfig config;
  private volatile Broker active;
  private volatile Lease lease;
  private volatile long epoch;
  private AdminServer admin;
  private Thread thread;
  private volatile BackupFollower follower;
  private final BackgroundValue<String> holderText;

  private PairMember(Parts parts) {
    this.parts = parts;
    this.clock = parts.clock();
    this.config = parts.config();
    this.lock = parts.lock();
    this.link = parts.link();
    this.startedNanos = clock.nanos();
    this.roles = new RoleMachine(clock);
    this.activation = new Activation(parts, roles, metrics, parts.credentials());
    // a file lock's holder is read from the lock file, which a hung store would hang
    this.holderText =
        new BackgroundValue<>(
            "ft-lock-holder", this::readHolder, "", Duration.ofSeconds(1), Duration.ofSeconds(1));
  }

  /**
   * Starts a member: the admin endpoint at once, then (on its own thread) the lock, the backup role
   * or activation. {@code onFatal} hears what must end the process: a moved fence or a lost lock
   * (category FENCED), or an activation that failed. {@code watchdog} watches the stores {@code
   * opener} opens, for {@code /health} (null: none).
   */
  public static PairMember start(
      Path configFile,
      BrokerConfig config,
      StoreOpener opener,
      Consumer<BrokerException> onFatal,
      StoreWatchdog watchdog) {
    if (config.ft() == null) {
      throw new BrokerException(Category.CONFIG, configFile + ": ft_active is not set");
    }
    return start(PairParts.production(configFile, config, opener, onFatal, watchdog));
  }

  /** Starts a member over {@code parts}: the admin endpoint at once, the rest on its thread. */
  static PairMember start(Parts parts) {
    PairMember m = new PairMember(parts);
    try {
      m.metrics.bind(m);
      m.admin = AdminServer.start(parts.config().adminListen(), m, m.metrics::scrape);
    } catch (RuntimeException e) {
      m.lock.close();
      m.holderText.close();
      throw e;
    }
    m.thread = new Thread(m::run, "ft-member");
    m.thread.start();
    return m;
  }

  private void run() {
    try {
      Optional<Lease> first = lock.tryAcquire();
      if (first.isPresent()) {
        if (config.ft().fileLock() && link.peerServes()) {
          first.get().close();
          throw new BrokerException(
              Category.ILLEGAL_STATE,
              "the peer at "
                  + config.ft().peer()
                  + " serves as primary although this broker obtained the store lock: the two"
                  + " brokers do not share one store with working locks; refusing to serve");
        }
        activate(first.get(), "obtained the store lock at startup");
        return;
      }
      roles.transition(Role.BACKUP, "the store lock is held by " + holder());
      follow();
      // what an activation runs for the first time is slow: open a listener once beforehand
      AmqpServer.rehearseListening();
      backup();
    } catch (BrokerException e) {
      if (!closed.get()) {
        parts.onFatal().accept(e);
      }
    } catch (LockException e) {
      if (!closed.get()) {
        parts
            .onFatal()
            .accept(new BrokerException(Category.STORE_IO, "store lock: " + e.getMessage(), e));
      }
    } catch (RuntimeException e) {
      if (!closed.get()) {
        parts
            .onFatal()
            .accept(new BrokerException(Category.ILLEGAL_STATE, "activation failed: " + e, e));
      }
    } catch (Error e) {
      // e.g. OutOfMemoryError while recovering: a member stuck half-activated would hold the
      // lock without serving, so the process must end and let the peer take over
      parts
          .onFatal()
          .accept(new BrokerException(Category.ILLEGAL_STATE, "activation failed: " + e, e));
    }
  }

  /** Keeps the link to the primary; returns once this member activated or is closing. */
  private void backup() {
    long lastWaitLog = clock.nanos();
    while (!closed.get()) {
      PrimaryLink.Outcome o =
          link.session(e -> roles.transition(Role.BACKUP, "paired with primary at epoch " + e));
      if (closed.get()) {
        return;
      }
      if (o.paired()) {
        roles.transition(Role.ACTIVATING, o.reason());
      }
      boolean activating = roles.role() == Role.ACTIVATING;
      Duration wait = activating ? config.ft().activation() : config.ft().heartbeat();
      Optional<Lease> granted = acquire(wait);
      if (granted.isPresent()) {
        activate(granted.get(), activating ? roles.reason() : "the store lock became free");
        return;
      }
      long now = clock.nanos();
      if (activating && now - lastWaitLog >= config.ft().activation().toNanos()) {
        lastWaitLog = now;
        LOG.warning(
            "activation waiting: the store lock is held by "
                + holder()
                + "; the primary may be alive but unreachable ("
                + o.reason()
                + "); never activating without the lock");
      }
    }
  }

  /** Keeps the shared store read while backup, when {@code ft_follow} is on. */
  private void follow() {
    StoreFollower f = config.ft().follow() ? parts.opener().follower(config) : null;
    if (f != null && !closed.get()) {
      follower = BackupFollower.start(f);
    }
  }

  private Optional<Lease> acquire(Duration wait) {
    try {
      return Optional.of(lock.acquire(wait));
    } catch (LockException e) {
      if (e.category() == LockException.Category.TIMEOUT || closed.get()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private void activate(Lease granted, String why) {
    BackupFollower f = follower;
    StoreFollower followed = f == null ? null : f.takeOver(config.storeIoTimeout());
    // a primary follows nothing: /state says whether its activation took over what was followed
    follower = null;
    activation.run(
        granted,
        why,
        config,
        followed,
        new Activation.Member() {
          @Override
          public void leased(Lease l) {
            lease = l;
            l.addListener(leaseWatch);
          }

          @Override
          public void epoch(long e) {
            epoch = e;
          }

          @Override
          public void configured(BrokerConfig c) {
            config = c;
          }

          @Override
          public boolean publish(Broker b) {
            active = b;
            return !closed.get();
          }
        });
  }

  private void leaseEvent(LeaseEvent event, String reason) {
    if (event == LeaseEvent.SUSPECT && !closed.get()) {
      parts
          .onFatal()
          .accept(
              new BrokerException(
                  Category.FENCED,
                  "lost the store lock ("
                      + lock.describe()
                      + ": "
                      + reason
                      + ") at epoch "
                      + epoch
                      + "; another broker may take over, so this one stops serving now"));
    }
  }

  /**
   * Who holds the lock; read at most once a second, since a ZooKeeper read is a round trip, and off
   * the caller's thread, since a file lock's holder is read from the store's file system.
   */
  private String holder() {
    String h = holderText.get();
    return h.isEmpty() ? "unknown (the lock's holder is still being read)" : h;
  }

  private String readHolder() {
    try {
      // the lines read on after "the store lock is held by"
      return lock.status().describe().replaceFirst("^held by ", "").replace("\n", "; ");
    } catch (LockException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  @Override
  public StoreWatchdog storeWatchdog() {
    return parts.watchdog();
  }

  /**
   * The store stopped answering: stop serving at once (see {@link Broker#stopServing}); a member
   * that is not primary only changes its role, so {@code /health} says why it is going away.
   */
  public void stopServing(String reason) {
    Broker b = active;
    if (b != null) {
      b.stopServing(reason);
    } else {
      roles.transition(Role.STALLED, reason);
    }
  }

  @Override
  public BrokerConfig config() {
    return config;
  }

  @Override
  public RoleMachine roles() {
    return roles;
  }

  @Override
  public Destinations destinations() {
    Broker b = active;
    return b == null ? null : b.destinations();
  }

  @Override
  public ConnectionRegistry connections() {
    Broker b = active;
    return b == null ? null : b.connections();
  }

  @Override
  public MemoryBudget memory() {
    Broker b = active;
    return b == null ? null : b.memory();
  }

  @Override
  public Duration uptime() {
    return Duration.ofNanos(clock.nanos() - startedNanos);
  }

  @Override
  public List<Endpoint> listeners() {
    Broker b = active;
    return b == null ? List.of() : b.amqpEndpoints();
  }

  /** The bound admin endpoint. */
  public Endpoint adminEndpoint() {
    return admin.endpoint();
  }

  @Override
  public Map<String, Object> availability() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mode", "ft");
    m.put("epoch", epoch);
    m.put("peer", config.ft().peer().toString());
    m.putAll(parts.peer().describe());
    m.put("lock", config.ft().lockDescription());
    m.put("lock_holder", holder());
    m.put("activations", activation.completed());
    m.put("last_activation_ms", activation.lastMillis());
    m.put("last_activation_followed", activation.lastFollowed());
    BackupFollower f = follower;
    m.put("ft_follow", config.ft().follow());
    if (f != null) {
      m.put("follower", f.describe());
    }
    m.put("ft_heartbeat_ms", config.ft().heartbeat().toMillis());
    m.put("ft_activation_ms", config.ft().activation().toMillis());
    return m;
  }

  /**
   * Stops serving (if primary), then releases the lock so the backup takes over at once, then
   * closes the admin endpoint. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    link.close();
    BackupFollower f = follower;
    if (f != null) {
      f.close();
    }
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      t.interrupt();
      try {
        t.join(Duration.ofSeconds(30).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Broker b = active;
    Lease l = lease;
    if (l != null) {
      l.removeListener(leaseWatch);
    }
    try {
      if (b != null) {
        b.close();
      } else {
        roles.transition(Role.STOPPED, "shutdown complete");
      }
    } finally {
      if (l != null) {
        l.close();
      }
      lock.close();
      holderText.close();
      if (admin != null) {
        admin.close();
      }
      metrics.close();
    }
  }
}
