package io.tandem.broker.ft;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import io.tandem.broker.config.BrokerConfig;
import io.tandem.broker.config.ConfigLoader;
import io.tandem.broker.config.FtConfig;
import io.tandem.broker.store.StoreWatchdog;
import io.tandem.broker.store.Stores;
import io.tandem.lock.FencedLock;
import io.tandem.lock.FencedLocks;
import io.tandem.lock.LockException;
import io.tandem.process.time.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** A pair member's production collaborators: the store lock, the peer link, the system clock. */
final class PairParts {
  private PairParts() {}

  /** The parts of a member configured by {@code config}, read from {@code configFile}. */
  static PairMember.Parts production(
      Path configFile,
      BrokerConfig config,
      PairMember.StoreOpener opener,
      Consumer<BrokerException> onFatal,
      StoreWatchdog watchdog) {
    Clock clock = Clock.system();
    PeerStatus peer = new PeerStatus(clock::nanos);
    // before the lock: a member whose password cannot work should not start at all
    PeerCredentialSource credentials =
        config.peerAuth().required() ? PeerCredentialSource.start(configFile, config) : null;
    FencedLock lock = openLock(config);
    Path store = config.store();
    BackupLink link =
        new BackupLink(
            config.server(),
            () -> Stores.identity(store).orElse("-"),
            credentials,
            config.ft(),
            peerTls(config),
            peer,
            clock);
    return new PairMember.Parts(
        configFile,
        config,
        lock,
        link,
        peer,
        opener,
        ConfigLoader::load,
        clock,
        onFatal,
        watchdog,
        credentials);
  }

  /** The backup's TLS to the primary when {@code ft_active} is {@code amqps://}, else null. */
  private static io.tandem.broker.tls.ClientTls peerTls(BrokerConfig config) {
    return config.tls().ft() == null
        ? null
        : io.tandem.broker.tls.ClientTls.create(
            config.tls().ft(), config.tls().ftExpectedHostname(), config.tls().ftVerifyHostname());
  }

  private static FencedLock openLock(BrokerConfig config) {
    FtConfig ft = config.ft();
    try {
      if (ft.fileLock()) {
        if (!Files.isDirectory(config.store())) {
          throw new BrokerException(
              Category.STORE_IO,
              "store directory "
                  + config.store()
                  + " does not exist; a hot-warm pair needs it on the shared volume (is it"
                  + " mounted?)");
        }
        return FencedLocks.file(config.store());
      }
      return FencedLocks.zooKeeper(ft.zooKeeperLock());
    } catch (LockException e) {
      throw new BrokerException(Category.STORE_IO, "cannot open the store lock: " + e.getMessage());
    }
  }
}
