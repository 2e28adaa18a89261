package io.tandem.agent.cli;

import io.tandem.agent.AgentException;
import io.tandem.agent.config.AgentConfig;
import io.tandem.agent.control.ControlClient;
import io.tandem.agent.zookeeper.ZooKeeperElection;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ha-agent status}: this node's agent, and the lock as ZooKeeper has it. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Print this node's agent state, who holds the lock, the epoch and the broker's"
            + " health. Without an answer from the agent within the timeout, print the lock"
            + " as ZooKeeper has it. Exit 0: the agent runs; 3: it does not; 4: it did not"
            + " answer in time (stopped or hung); 2: bad configuration.")
final class StatusCommand implements Callable<Integer> {
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
    int status = ExitCodes.OK;
    try {
      System.out.print(
          ControlClient.call(
              cfg.controlSocket(), "status", timeout.orDefault(ControlClient.DEFAULT_TIMEOUT)));
      System.out.println("agent: running");
    } catch (AgentException e) {
      System.out.println("node: " + cfg.policy().node());
      if (e.category() == AgentException.Category.CONTROL_TIMEOUT) {
        System.out.println("agent: not answering (" + e.getMessage() + ")");
        status = ExitCodes.NO_ANSWER;
      } else {
        System.out.println("agent: not running (" + e.getMessage() + ")");
        status = ExitCodes.NOT_RUNNING;
      }
    }
    System.out.println(ZooKeeperElection.inspect(cfg.zooKeeper()));
    return status;
  }
}
