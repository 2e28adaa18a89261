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
            + " health. Exit 0: the agent runs; 3: it does not; 2: bad configuration.")
final class StatusCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

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
      System.out.print(ControlClient.call(cfg.controlSocket(), "status"));
      System.out.println("agent: running");
    } catch (AgentException e) {
      System.out.println("node: " + cfg.policy().node());
      System.out.println("agent: not running (" + e.getMessage() + ")");
      status = ExitCodes.NOT_RUNNING;
    }
    System.out.println(ZooKeeperElection.inspect(cfg.zooKeeper()));
    return status;
  }
}
