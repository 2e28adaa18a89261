package io.tandem.agent.cli;

import io.tandem.agent.AgentException;
import io.tandem.agent.config.AgentConfig;
import io.tandem.agent.control.ControlClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ha-agent resume}: end a hold-off early. */
@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    description =
        "End this node's hold-off now, so its agent contends for the lock again."
            + " Exit 0: done; 3: no agent runs; 4: the agent did not answer in time (it may"
            + " still resume once it runs again).")
final class ResumeCommand implements Callable<Integer> {
  @Mixin ConfigOption config;
  @Mixin TimeoutOption timeout;

  @Override
  public Integer call() {
    AgentConfig cfg;
    try {
      cfg = config.load();
    } catch (AgentException e) {
      return ConfigOption.configError(e);
    }
    return ReleaseCommand.send(cfg, "resume", timeout.orDefault(ControlClient.DEFAULT_TIMEOUT));
  }
}
