package io.tandem.broker.ft;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import io.tandem.broker.Role;
import io.tandem.broker.RoleMachine;
import io.tandem.broker.config.BrokerConfig;
import io.tandem.broker.metrics.BrokerMetrics;
import io.tandem.broker.server.Broker;
import io.tandem.broker.store.MessageStore;
import io.tandem.broker.store.StoreFollower;
import io.tandem.broker.store.StoreWatchdog;
import io.tandem.broker.store.Stores;
import io.tandem.lock.FencedLock;
import io.tandem.lock.Lease;
import io.tandem.process.time.Clock;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * A pair member's activation, once it holds the store lock: listen to the lease, choose an epoch
 * above both the lock's and the fence's, re-read the configuration, open the store at that epoch
 * (which raises the fence before anything is read), then recover and serve. Each step logs a line
 * with its duration. The member is told of each result as it is known, so that a lease event, a
 * close or {@code /state} during the activation sees it.
 */
final class Activation {
  // the member's logger: operators and the pair's tests know these lines by it
  private static final Logger LOG = Logger.getLogger(PairMember.class.getName());

  /** What the member learns while it activates. */
  interface Member {
    /** The member holds {@code lease}: it releases it on close and hears its events from now. */
    void leased(Lease lease);

    /** The epoch this member writes the store with. */
    void epoch(long epoch);

    /** The configuration re-read for this activation. */
    void configured(BrokerConfig config);

    /**
     * The broker that is about to serve; false when the member is closing, and then the broker is
     * closed and the activation ends without serving.
     */
    boolean publish(Broker broker);
  }

  private final Path configFile;
  private final PairMember.ConfigReader configs;
  private final PairMember.StoreOpener opener;
  private final Clock clock;
  private final FencedLock lock;
  private final RoleMachine roles;
  private final BrokerMetrics metrics;
  private final PeerStatus peer;
  private final Supplier<PeerCredentials> credentials;
  private final StoreWatchdog watchdog;
  private final AtomicLong completed = new AtomicLong();
  private volatile long lastMillis;
  private volatile boolean lastFollowed;

  Activation(
      PairMember.Parts parts,
      RoleMachine roles,
      BrokerMetrics metrics,
      Supplier<PeerCredentials> c) {
    this.configFile = parts.configFile();
    this.configs = parts.configs();
    this.opener = parts.opener();
    this.clock = parts.clock();
    this.lock = parts.lock();
    this.peer = parts.peer();
    this.watchdog = parts.watchdog();
    this.roles = roles;
    this.metrics = metrics;
    this.credentials = c;
  }

  /** How many activations completed. */
  long completed() {
    return completed.get();
  }

  /** Whether the last completed activation took over what the backup's follower had read. */
  boolean lastFollowed() {
    return lastFollowed;
  }

  /** How long the last completed activation took, in milliseconds. */
  long lastMillis() {
    return lastMillis;
  }

  /** Activates with {@code granted} for {@code why}; {@code config} is the member's current one. */
  void run(Lease granted, String why, BrokerConfig config, StoreFollower follower, Member member) {
    long t0 = clock.nanos();
    roles.transition(Role.ACTIVATING, why);
    member.leased(granted);
    long epoch = chooseEpoch(granted, config);
    member.epoch(epoch);
    BrokerConfig reread = reread(config);
    member.configured(reread);
    long t2 = clock.nanos();
    MessageStore store =
        follower == null ? opener.open(reread, epoch) : opener.open(reread, epoch, follower);
    String storeId =
        watched("activation: store.id read", () -> Stores.identity(reread.store()).orElse("-"));
    LOG.info("activation: fence raised to epoch " + epoch + " in " + ms(t2) + " ms");
    PeerAcceptor acceptor =
        new PeerAcceptor(
            reread.server(),
            storeId,
            epoch,
            reread.ft().heartbeat(),
            reread.ft().activation(),
            peer,
            clock::nanos,
            credentials);
    Broker b = new Broker(reread, store, roles, acceptor, metrics, clock);
    if (!member.publish(b)) {
      b.close();
      return;
    }
    b.serve("activated (" + why + ")");
    lastMillis = ms(t0);
    lastFollowed = follower != null && follower.status().tookOver();
    completed.incrementAndGet();
    LOG.info("activation complete in " + ms(t0) + " ms; serving as primary at epoch " + epoch);
  }

  // Above every epoch before it: the lock's, and the fence's (an ha-mode activator may have raised
  // the fence without this lock).
  private long chooseEpoch(Lease granted, BrokerConfig config) {
    long fence = watched("activation: fence read", () -> Stores.fence(config.store()));
    long epoch = Math.max(granted.epoch(), fence + 1);
    LOG.info(
        "activation: store lock obtained ("
            + lock.describe()
            + ", lock epoch "
            + granted.epoch()
            + ", fence "
            + fence
            + "); this broker's epoch is "
            + epoch);
    return epoch;
  }

  private BrokerConfig reread(BrokerConfig config) {
    long t1 = clock.nanos();
    BrokerConfig reread = configs.load(configFile);
    if (reread.ft() == null || !reread.store().equals(config.store())) {
      throw new BrokerException(
          Category.CONFIG,
          configFile + ": ft_active and store may not change while the broker runs as a pair");
    }
    LOG.info("activation: configuration re-read in " + ms(t1) + " ms");
    return reread;
  }

  /** Runs a read of the store as a watched operation: this member holds the lock meanwhile. */
  private <T> T watched(String what, Supplier<T> read) {
    return watchdog == null ? read.get() : watchdog.io().get(what, read);
  }

  private long ms(long since) {
    return (clock.nanos() - since) / 1_000_000;
  }
}
