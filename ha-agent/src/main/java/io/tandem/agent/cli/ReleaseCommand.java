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
            + " up. Exit 0: done; 1: failed; 3: no agent runs; 4: the agent did not answer in"
            + " time (it may still release once it runs again).")
final class ReleaseCommand implements Callable<Integer> {
  @Mixin ConfigOption config;
  @Mixin TimeoutOption timeout;

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
    // The agent answers a release only once the lock is given up, which it bounds itself.
    Duration bound = RunCommand.releaseTimeout(cfg).plus(ControlClient.DEFAULT_TIMEOUT);
    return send(cfg, request, timeout.orDefault(bound));
  }

  static int send(AgentConfig cfg, String request, Duration timeout) {
    try {
      System.out.print(ControlClient.call(cfg.controlSocket(), request, timeout));
      return ExitCodes.OK;
    } catch (AgentException e) {
      if (e.category() == AgentException.Category.CONTROL_TIMEOUT) {
        System.err.println(
            "ha-agent: "
                + e.getMessage()
                + "; it is stopped or hung, and may still carry out '"
                + request
                + "' once it runs again");
        return ExitCodes.NO_ANSWER;
      }
      System.err.println("ha-agent: " + e.getMessage());
      return ControlClient.occupied(cfg.controlSocket())
          ? ExitCodes.FAILURE
          : ExitCodes.NOT_RUNNING;
    }
  }
}
