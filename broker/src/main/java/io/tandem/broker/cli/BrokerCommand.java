package io.tandem.broker.cli;

import io.tandem.broker.Broker;
import io.tandem.broker.BrokerException;
import io.tandem.broker.config.BrokerConfig;
import io.tandem.broker.config.ConfigLoader;
import java.nio.file.Path;
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
      broker = new Broker(cfg, new io.tandem.broker.store.MemoryStore()).start();
    } catch (BrokerException e) {
      LOG.severe("startup failed: " + e.getMessage());
      return e.category() == BrokerException.Category.CONFIG ? ExitCodes.CONFIG : ExitCodes.FAILURE;
    }
    awaitSignal(broker);
    return ExitCodes.OK;
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
