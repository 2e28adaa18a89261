package io.tandem.agent.cli;

import io.tandem.agent.AgentException;
import io.tandem.agent.config.AgentConfig;
import io.tandem.agent.config.AgentConfigLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/* The --config option every subcommand shares, and loading it. */
final class ConfigOption {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "agent.conf to use (default: $TANDEM_HOME/conf/agent.conf)")
  Path file;

  AgentConfig load() {
    Path conf = file != null ? file : home().resolve("conf/agent.conf");
    return AgentConfigLoader.load(conf, home());
  }

  static Path home() {
    String home = System.getenv("TANDEM_HOME");
    return Path.of(home == null ? "." : home).toAbsolutePath().normalize();
  }

  static int configError(AgentException e) {
    System.err.println("ha-agent: configuration error: " + e.getMessage());
    return ExitCodes.CONFIG;
  }
}
