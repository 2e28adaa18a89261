package io.tandem.agent.cli;

import io.tandem.agent.Agent;
import io.tandem.agent.AgentException;
import io.tandem.agent.broker.LauncherBrokerRunner;
import io.tandem.agent.config.AgentConfig;
import io.tandem.agent.control.ControlServer;
import io.tandem.agent.hooks.ShellHooks;
import io.tandem.agent.zookeeper.ZooKeeperElection;
import io.tandem.process.log.ProcessLogging;
import io.tandem.process.log.ShutdownSafeLogManager;
import io.tandem.process.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ha-agent run}: the daemon, in the foreground until SIGTERM or SIGINT. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Run the agent in the foreground until SIGTERM: contend for the lock, run the"
            + " broker while holding it.")
final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = Logger.getLogger(RunCommand.class.getName());
  private static final Duration PROBE_TIMEOUT_MAX = Duration.ofSeconds(2);

  @Mixin ConfigOption config;

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      description = "INFO (default), FINE, WARNING")
  String logLevel = "INFO";

  @Override
  public Integer call() {
    ProcessLogging.install(Level.parse(logLevel));
    AgentConfig cfg;
    try {
      cfg = config.load();
    } catch (AgentException e) {
      LOG.severe("configuration error: " + e.getMessage());
      return ExitCodes.CONFIG;
    }
    ProcessLogging.apply(cfg.logLevels());
    LOG.info(
        "node "
            + cfg.policy().node()
            + ", configuration "
            + cfg.source()
            + ", ZooKeeper "
            + cfg.zooKeeper().connectString()
            + cfg.zooKeeper().path()
            + ", session timeout "
            + cfg.zooKeeper().sessionTimeout().toMillis()
            + " ms, reconnect grace "
            + cfg.reconnectGrace().toMillis()
            + " ms, standby "
            + cfg.standby().describe());
    try (ZooKeeperElection election =
        new ZooKeeperElection(cfg.zooKeeper(), cfg.reconnectGrace(), cfg.policy().node())) {
      Agent agent = new Agent(cfg.policy(), election, runner(cfg), hooks(cfg), Clock.system());
      ControlServer control =
          new ControlServer(cfg.controlSocket(), agent, releaseTimeout(cfg)).start();
      try {
        return runUntilSignal(agent, cfg);
      } finally {
        control.close();
      }
    } catch (AgentException e) {
      LOG.severe("agent failed: " + e.getMessage());
      return ExitCodes.FAILURE;
    }
  }

  /*
   * The shutdown hook asks the cycle to wind down (stop, unmount, release) and waits for it, then
   * ends the process with status 0: a SIGTERM is a clean stop.
   */
  private static int runUntilSignal(Agent agent, AgentConfig cfg) {
    CountDownLatch done = new CountDownLatch(1);
    Duration bound = releaseTimeout(cfg);
    Thread hook =
        new Thread(
            () -> {
              LOG.info("stop requested");
              agent.shutdown("stop requested (SIGTERM or SIGINT)");
              try {
                if (!done.await(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                  LOG.severe("the agent did not wind down within " + bound + "; exiting anyway");
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              LOG.info("agent stopped");
              ShutdownSafeLogManager.resetFinally();
              Runtime.getRuntime().halt(ExitCodes.OK);
            },
            "shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      agent.run();
    } finally {
      done.countDown();
    }
    return ExitCodes.OK;
  }

  private static LauncherBrokerRunner runner(AgentConfig cfg) {
    Duration interval = cfg.policy().monitorInterval();
    Duration probe = interval.compareTo(PROBE_TIMEOUT_MAX) < 0 ? interval : PROBE_TIMEOUT_MAX;
    return new LauncherBrokerRunner(
        cfg.tandemCommand(),
        cfg.brokerConfig(),
        cfg.store(),
        cfg.healthUrl(),
        cfg.brokerLog(),
        cfg.brokerPidFile(),
        probe,
        cfg.policy().stopTimeout(),
        cfg.standby());
  }

  private static ShellHooks hooks(AgentConfig cfg) {
    return new ShellHooks(
        cfg.policy().node(), cfg.store(), cfg.mount(), cfg.unmount(), cfg.fence(), cfg.runDir());
  }

  // Long enough for a stop, the SIGKILL that may follow it, and the unmount.
  static Duration releaseTimeout(AgentConfig cfg) {
    return cfg.policy().stopTimeout().plus(cfg.unmount().timeout()).plus(Duration.ofSeconds(30));
  }
}
