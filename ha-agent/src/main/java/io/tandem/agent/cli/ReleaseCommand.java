package io.tandem.agent.cli;

import io.tandem.agent.AgentException;
import io.tandem.agent.config.AgentConfig;
import io.tandem.agent.control.ControlClient;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ha-agent release}: graceful switchover away from this node. */
@Command(
    name = "release",
    mixinStandardHelpOptions = true,
    description =
        "Stop the broker here, unmount, give the lock up and stay out of the election"
            + " for the hold-off (release_holdoff unless --hold-off). Returns once the lock is given"
            + " up. Exit 0: done; 1: failed; 3: no agent runs.")
final class ReleaseCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(
      names = "--hold-off",
      paramLabel = "SECONDS",
      description = "stay out of the election this long (default: release_holdoff)")
  Long holdOffSeconds;

  @Override
  public Integer call() {
    AgentConfig cfg;
    try {
      cfg = config.load();
    } catch (AgentException e) {
      return ConfigOption.configError(e);
    }
    String request =
        holdOffSeconds == null
            ? "release"
            : "release " + Duration.ofSeconds(Math.max(0, holdOffSeconds)).toMillis();
    return send(cfg, request);
  }

  static int send(AgentConfig cfg, String request) {
    try {
      System.out.print(ControlClient.call(cfg.controlSocket(), request));
      return ExitCodes.OK;
    } catch (AgentException e) {
      System.err.println("ha-agent: " + e.getMessage());
      return ControlClient.answers(cfg.controlSocket()) ? ExitCodes.FAILURE : ExitCodes.NOT_RUNNING;
    }
  }
}
