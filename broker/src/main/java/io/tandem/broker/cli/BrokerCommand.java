package io.tandem.broker.cli;

import io.tandem.broker.Broker;
import io.tandem.broker.BrokerException;
import io.tandem.broker.config.BrokerConfig;
import io.tandem.broker.config.ConfigLoader;
import io.tandem.broker.store.MessageStore;
import io.tandem.broker.store.StoreOptions;
import io.tandem.broker.store.Stores;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
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

  @Override
  public Integer call() {
    LogFormat.install(Level.parse(logLevel));
    Path file = config != null ? config : defaultConfig();
    LOG.info("starting broker with configuration " + file.toAbsolutePath().normalize());
    BrokerConfig cfg;
    try {
      cfg = ConfigLoader.load(file);
    } catch (BrokerException e) {
      LOG.severe("configuration error: " + e.getMessage());
      return ExitCodes.CONFIG;
    }
    Broker broker;
    try {
      broker = new Broker(cfg, openStore(cfg)).start();
    } catch (BrokerException e) {
      LOG.severe("startup failed: " + e.getMessage());
      return switch (e.category()) {
        case CONFIG -> ExitCodes.CONFIG;
        case FENCED -> ExitCodes.FENCED;
        default -> ExitCodes.FAILURE;
      };
    }
    awaitSignal(broker);
    return ExitCodes.OK;
  }

  /**
   * Opens the journal store at the epoch after the one in its fence. (The lock manager will hand
   * out the epoch once hot-warm pairs are wired in.)
   */
  private MessageStore openStore(BrokerConfig cfg) {
    long epoch = Stores.fence(cfg.store()) + 1;
    return Stores.open(
        new StoreOptions(
            cfg.store(),
            epoch,
            cfg.storeAsyncFlush(),
            cfg.storeMinimum(),
            cfg.dupDetectWindow(),
            forceStart,
            BrokerCommand::fenced,
            InstantSource.system()));
  }

  /** Another broker took the store: stop at once, without another write, with a distinct status. */
  private static void fenced(long ownEpoch, long fenceEpoch) {
    LOG.severe(
        "FENCED: store fence moved from "
            + ownEpoch
            + " to "
            + fenceEpoch
            + "; another broker owns the store; stopping");
    ShutdownSafeLogManager.resetFinally();
    Runtime.getRuntime().halt(ExitCodes.FENCED);
  }

  static Path defaultConfig() {
    String home = System.getenv("TANDEM_HOME");
    return Path.of(home == null ? "." : home, "conf", "tandem.conf");
  }

  /**
   * Blocks until the JVM is asked to stop. The shutdown hook closes the broker; a stop that came
   * from a signal then ends the process with status 0, since the broker stopped cleanly.
   */
  private static void awaitSignal(Broker broker) {
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean clean = new AtomicBoolean();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("stop requested");
                  try {
                    broker.close();
                    clean.set(true);
                    LOG.info("broker stopped");
                  } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, "error while stopping", e);
                  }
                  stopped.countDown();
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
