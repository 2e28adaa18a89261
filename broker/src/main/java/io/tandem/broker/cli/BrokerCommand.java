package io.tandem.broker.cli;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.tandem.broker.BrokerException;
import io.tandem.broker.admin.AdminActions;
import io.tandem.broker.amqp.AmqpServer;
import io.tandem.broker.config.BrokerConfig;
import io.tandem.broker.config.ConfigLoader;
import io.tandem.broker.destination.FollowedQueues;
import io.tandem.broker.ft.BackupFollower;
import io.tandem.broker.ft.PairMember;
import io.tandem.broker.message.MessageCodec;
import io.tandem.broker.security.AccessControl;
import io.tandem.broker.server.Broker;
import io.tandem.broker.store.FenceListener;
import io.tandem.broker.store.MessageStore;
import io.tandem.broker.store.StoreFollower;
import io.tandem.broker.store.StoreIo;
import io.tandem.broker.store.StoreOptions;
import io.tandem.broker.store.StoreWatchdog;
import io.tandem.broker.store.Stores;
import io.tandem.lock.FencedLock;
import io.tandem.lock.FencedLocks;
import io.tandem.lock.Lease;
import io.tandem.lock.LockException;
import io.tandem.process.log.ProcessLogging;
import io.tandem.process.log.ShutdownSafeLogManager;
import io.tandem.process.time.Clock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tandem broker}: runs a broker in the foreground until SIGTERM or SIGINT. */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = "Run a broker in the foreground.")
final class BrokerCommand implements Callable<Integer> {
  private static final Logger LOG = Logger.getLogger(BrokerCommand.class.getName());

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "tandem.conf to use (default: $TANDEM_HOME/conf/tandem.conf)")
  Path config;

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      description = "INFO (default), FINE, WARNING")
  String logLevel = "INFO";

  @Option(
      names = "--force-start",
      description =
          "Start even if the store holds corrupt records: skip them and report what was dropped.")
  boolean forceStart;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      description =
          "standalone (default; a hot-warm pair member when tandem.conf sets ft_active): take the"
              + " store's lock, refuse if it is held; ha: started by an"
              + " activator that holds the cluster's lock and raised the fence to --epoch")
  Mode mode = Mode.standalone;

  @Option(
      names = "--epoch",
      paramLabel = "N",
      description = "ha mode: the epoch the activator wrote to the store's fence")
  Long epoch;

  @Option(
      names = "--exit-status-file",
      paramLabel = "FILE",
      description =
          "write the exit status to FILE as the process ends (one line: STATUS NAME REASON), for"
              + " a cluster agent that cannot wait for the detached broker")
  Path exitStatusFile;

  @Option(
      names = "--standby",
      description =
          "load and check the configuration, then wait without touching the store or opening a"
              + " port until standard input says 'activate' (--mode ha: 'activate EPOCH'); the"
              + " configuration is read again then. End of input exits with status 10")
  boolean standby;

  @Option(
      names = "--follow-store",
      description =
          "with --standby: read the store while waiting, as a hot-warm backup does (it must be"
              + " mounted here too, e.g. a cluster file system), so that the activation reads only"
              + " what was written since; never writes it and takes no lock")
  boolean followStore;

  /** How the broker obtains its right to write the store. */
  enum Mode {
    standalone,
    ha
  }

  private Lease lease;

  /** What a standby's follower read of the store while it waited, for its activation; or null. */
  private StoreFollower followed;

  private StoreWatchdog watchdog;
  private volatile Consumer<String> stopServing = reason -> {};

  @Override
  public Integer call() {
    ExitStatusFile.use(exitStatusFile);
    try {
      return run();
    } catch (Exception e) {
      // also what Netty throws undeclared, e.g. a bind failure of a listener
      ExitStatusFile.record(ExitCodes.FAILURE, "startup failed: " + e);
      throw e;
    }
  }

  private int run() {
    ProcessLogging.install(Level.parse(logLevel));
    AdminActions.exitProcessOnShutdown();
    Path file = config != null ? config : defaultConfig();
    LOG.info("starting broker with configuration " + file.toAbsolutePath().normalize());
    BrokerConfig cfg;
    try {
      cfg = ConfigLoader.load(file);
      // the users, groups and acl files are read again by the broker itself; reading them here
      // refuses a bad one before the store's lock is taken
      AccessControl.load(cfg.security());
    } catch (BrokerException e) {
      return failed(ExitCodes.CONFIG, "configuration error: " + e.getMessage());
    }
    ProcessLogging.apply(cfg.logLevels());
    if (followStore && !standby) {
      return failed(ExitCodes.CONFIG, "--follow-store is only for --standby");
    }
    if (standby) {
      Optional<BrokerConfig> activated;
      try {
        activated = standBy(file, cfg);
      } catch (BrokerException e) {
        return failed(ExitCodes.CONFIG, "configuration error: " + e.getMessage());
      }
      if (activated.isEmpty()) {
        return failed(
            ExitCodes.STANDBY_ABANDONED,
            "standby: standard input ended before 'activate'; exiting without touching the store");
      }
      cfg = activated.get();
    }
    if (mode == Mode.ha && (epoch == null || epoch < 1)) {
      return failed(
          ExitCodes.CONFIG,
          "--mode ha needs --epoch N (a positive epoch the activator wrote to the fence)");
    }
    if (mode != Mode.ha && epoch != null) {
      return failed(
          ExitCodes.CONFIG,
          "--epoch is only for --mode ha; a standalone broker takes its epoch from the lock");
    }
    watchdog =
        new StoreWatchdog(
                StoreIo.system(), cfg.storeIoTimeout(), cfg.storeIoExitGrace(), new StallResponse())
            .start();
    if (cfg.ft() != null) {
      if (mode == Mode.ha) {
        return failed(
            ExitCodes.CONFIG,
            "configuration error: "
                + file
                + " sets ft_active (a hot-warm pair), which --mode ha does not use; an ha-mode"
                + " broker is started by its cluster manager");
      }
      return runPairMember(file, cfg);
    }
    Broker broker;
    try {
      // not watched: nothing serves yet, and the cluster manager's start timeout covers a hang
      long own = mode == Mode.ha ? checkFence(cfg.store(), epoch) : lockStore(cfg.store());
      broker = new Broker(cfg, openStore(cfg, own)).watchStore(watchdog);
      stopServing = broker::stopServing;
      broker.start();
    } catch (BrokerException e) {
      releaseLock();
      return failed(exitCode(e), "startup failed: " + e.getMessage());
    }
    awaitSignal(
        () -> {
          broker.close();
          releaseLock();
        });
    return ExitCodes.OK;
  }

  /**
   * A warm standby: the JVM has started and loaded the broker's configuration classes, and waits
   * for one line on standard input. {@code activate [EPOCH]} re-reads the configuration (it may
   * have changed while the standby waited) and goes on as a normal start; end of input means the
   * process that started it is gone. Nothing here reads the store or binds a port that a client or
   * the cluster can see: the one bind is the listener rehearsal's, on an ephemeral loopback port
   * closed at once.
   */
  private Optional<BrokerConfig> awaitActivation(Path file) {
    // the activation opens its listeners without loading that code first (about 150 ms)
    AmqpServer.rehearseListening();
    LOG.info("standby: configuration checked; waiting for 'activate' on standard input");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, US_ASCII));
    while (true) {
      String line;
      try {
        line = in.readLine();
      } catch (IOException e) {
        return Optional.empty();
      }
      if (line == null) {
        return Optional.empty();
      }
      String[] words = line.strip().split("\\s+");
      if (!words[0].equals("activate") || words.length > 2 || !activationEpoch(words)) {
        LOG.warning("standby: ignoring '" + line.strip() + "'; expected 'activate [EPOCH]'");
        continue;
      }
      LOG.info("standby: activating" + (epoch == null ? "" : " at epoch " + epoch));
      BrokerConfig cfg = ConfigLoader.load(file);
      AccessControl.load(cfg.security());
      return Optional.of(cfg);
    }
  }

  /** Waits as a standby, reading the store meanwhile with {@code --follow-store}. */
  private Optional<BrokerConfig> standBy(Path file, BrokerConfig cfg) {
    BackupFollower reading = followStore ? startFollowing(cfg) : null;
    Optional<BrokerConfig> activated = Optional.empty();
    try {
      activated = awaitActivation(file);
      return activated;
    } finally {
      if (reading != null) {
        reading.close();
        // what it read goes to the store only if the standby goes on to start a broker
        boolean starts = activated.isPresent() && activated.get().ft() == null;
        followed = starts ? reading.takeOver(activated.get().storeIoTimeout()) : null;
      }
    }
  }

  /**
   * A standby that reads the store while it waits, if the store is there: on a volume mounted only
   * on the active host it is not, and the standby then waits without it.
   */
  private BackupFollower startFollowing(BrokerConfig cfg) {
    if (!Files.isDirectory(cfg.store())) {
      LOG.warning(
          "standby: store "
              + cfg.store()
              + " is not here (mounted only on the active host?); waiting without reading it");
      return null;
    }
    return BackupFollower.start(new PairStores().follower(cfg));
  }

  private boolean activationEpoch(String[] words) {
    if (words.length == 1) {
      return true;
    }
    if (!words[1].matches("[1-9]\\d{0,18}")) {
      return false;
    }
    epoch = Long.parseLong(words[1]);
    return true;
  }

  /** Hot-warm FT: primary or backup, whichever the store lock decides. */
  private int runPairMember(Path file, BrokerConfig cfg) {
    PairMember member;
    try {
      member = PairMember.start(file, cfg, new PairStores(), BrokerCommand::fatal, watchdog);
      stopServing = member::stopServing;
    } catch (BrokerException e) {
      return failed(exitCode(e), "startup failed: " + e.getMessage());
    }
    awaitSignal(member::close);
    return ExitCodes.OK;
  }

  /** Logs why the broker does not start and records {@code status} with that line. */
  private static int failed(int status, String reason) {
    LOG.severe(reason);
    ExitStatusFile.record(status, reason);
    return status;
  }

  /** Ends the process at once with {@code status}, recorded with the line that explains it. */
  private static void halt(int status, String reason) {
    LOG.severe(reason);
    ExitStatusFile.record(status, reason);
    ShutdownSafeLogManager.resetFinally();
    Runtime.getRuntime().halt(status);
  }

  private static int exitCode(BrokerException e) {
    return switch (e.category()) {
      case CONFIG -> ExitCodes.CONFIG;
      case FENCED -> ExitCodes.FENCED;
      case STORE_LOCKED -> ExitCodes.STORE_LOCKED;
      case STORE_CORRUPT -> ExitCodes.STORE_CORRUPT;
      default -> ExitCodes.FAILURE;
    };
  }

  /** A pair member cannot go on (fenced, lock lost, activation failed): stop without writing. */
  private static void fatal(BrokerException e) {
    halt(
        exitCode(e),
        (e.category() == BrokerException.Category.FENCED ? "FENCED: " : "stopping: ")
            + e.getMessage());
  }

  /**
   * HA mode: the activator holds the cluster's lock and wrote {@code expected} to the fence; any
   * other value means another activator has moved on, so this broker must not write.
   */
  private static long checkFence(Path store, long expected) {
    long fence = Stores.fence(store);
    if (fence != expected) {
      LOG.severe(
          "FENCED: store "
              + store
              + " is fenced at epoch "
              + fence
              + ", not at this broker's epoch "
              + expected
              + "; refusing to start");
      throw new BrokerException(
          BrokerException.Category.FENCED, "store fence holds " + fence + ", expected " + expected);
    }
    LOG.info("ha mode: store fence holds epoch " + expected + " as expected");
    return expected;
  }

  /**
   * Standalone: takes the store's file lock so that a second broker pointed at the same store by
   * mistake refuses to start instead of corrupting it. The epoch is above both the lock's and the
   * fence's, since an ha-mode activator may have raised the fence without the file lock.
   */
  private long lockStore(Path store) {
    try {
      Files.createDirectories(store);
      FencedLock lock = FencedLocks.file(store);
      Optional<Lease> granted = lock.tryAcquire();
      if (granted.isEmpty()) {
        String status = lock.status().describe().replace("\n", "; ");
        lock.close();
        throw new BrokerException(
            BrokerException.Category.STORE_LOCKED,
            "store " + store + " is locked by another process (" + status + ")");
      }
      lease = granted.get();
      long own = Math.max(lease.epoch(), Stores.fence(store) + 1);
      LOG.info("store lock acquired (" + lock.describe() + "), epoch " + own);
      return own;
    } catch (IOException e) {
      throw new BrokerException(
          BrokerException.Category.STORE_IO, "cannot create store directory " + store, e);
    } catch (LockException e) {
      throw new BrokerException(
          BrokerException.Category.STORE_IO,
          "cannot lock store " + store + ": " + e.getMessage(),
          e);
    }
  }

  private void releaseLock() {
    if (lease != null) {
      lease.close();
    }
  }

  private MessageStore openStore(BrokerConfig cfg, long epoch) {
    StoreFollower f = followed;
    followed = null;
    if (f != null && f.dir().equals(cfg.store())) {
      return Stores.open(storeOptions(cfg, epoch), watchdog.io(), f);
    }
    return Stores.open(storeOptions(cfg, epoch), watchdog.io());
  }

  private StoreOptions storeOptions(BrokerConfig cfg, long epoch) {
    return new StoreOptions(
        cfg.store(),
        epoch,
        cfg.storeAsyncFlush(),
        cfg.storeMinimum(),
        cfg.dupDetectWindow(),
        forceStart,
        STORE_WATCH,
        Clock.system());
  }

  /**
   * A pair member's stores: a backup's follower holds at most {@code max_msg_memory} of live data
   * (what the broker itself holds before it slows producers), and the activation's store takes over
   * what it read.
   */
  private final class PairStores implements PairMember.StoreOpener {
    @Override
    public MessageStore open(BrokerConfig cfg, long epoch) {
      return openStore(cfg, epoch);
    }

    @Override
    public MessageStore open(BrokerConfig cfg, long epoch, StoreFollower follower) {
      return Stores.open(storeOptions(cfg, epoch), watchdog.io(), follower);
    }

    @Override
    public StoreFollower follower(BrokerConfig cfg) {
      // the follower never writes: the epoch of its options is not used
      // it decodes what it reads while it waits, as recovery would at the takeover
      return StoreFollower.of(storeOptions(cfg, 1), cfg.maxMsgMemory())
          .preparing(MessageCodec::decodeStored)
          .mirroring(FollowedQueues::new);
    }
  }

  /**
   * What a stalled store does to the process: stop serving at once, then exit with {@code
   * STORE_STALLED} without touching the store again (a clean shutdown would wait for it).
   */
  private final class StallResponse implements StoreWatchdog.Listener {
    @Override
    public void stalled(String reason) {
      LOG.severe(
          "STORE STALLED: "
              + reason
              + "; stopped serving (connections closed); exiting when it returns or after"
              + " store_io_exit_grace");
      stopServing.accept(reason);
    }

    @Override
    public void exit(String reason) {
      halt(
          ExitCodes.STORE_STALLED,
          "STORE STALLED: " + reason + "; exiting with status " + ExitCodes.STORE_STALLED);
    }
  }

  /** What ends the process when the store stops writing for good. */
  private static final FenceListener STORE_WATCH =
      new FenceListener() {
        @Override
        public void fenced(long ownEpoch, long fenceEpoch) {
          BrokerCommand.fenced(ownEpoch, fenceEpoch);
        }

        @Override
        public void failed(BrokerException cause) {
          halt(ExitCodes.FAILURE, "stopping: the store failed (" + cause.getMessage() + ")");
        }
      };

  /** Another broker took the store: stop at once, without another write, with a distinct status. */
  private static void fenced(long ownEpoch, long fenceEpoch) {
    halt(
        ExitCodes.FENCED,
        "FENCED: store fence moved from "
            + ownEpoch
            + " to "
            + fenceEpoch
            + "; another broker owns the store; stopping");
  }

  static Path defaultConfig() {
    String home = System.getenv("TANDEM_HOME");
    return Path.of(home == null ? "." : home, "conf", "tandem.conf");
  }

  /**
   * Blocks until the JVM is asked to stop. The shutdown hook closes the broker; a stop that came
   * from a signal then ends the process with status 0, since the broker stopped cleanly.
   */
  private static void awaitSignal(Runnable close) {
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean clean = new AtomicBoolean();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("stop requested");
                  try {
                    close.run();
                    clean.set(true);
                    LOG.info("broker stopped");
                  } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, "error while stopping", e);
                  }
                  stopped.countDown();
                  ExitStatusFile.record(
                      clean.get() ? ExitCodes.OK : ExitCodes.FAILURE,
                      clean.get() ? "broker stopped" : "error while stopping");
                  ShutdownSafeLogManager.resetFinally();
                  Runtime.getRuntime().halt(clean.get() ? ExitCodes.OK : ExitCodes.FAILURE);
                },
                "shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
