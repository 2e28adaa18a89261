package io.tandem.agent.cli;

import io.tandem.process.command.CommandGroup;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ha-agent} command. */
@Command(
    name = "ha-agent",
    mixinStandardHelpOptions = true,
    versionProvider = HaAgentCommand.Version.class,
    description = "Tandem's hot-cold HA agent: one per host, at most one broker in the cluster.",
    subcommands = {
      RunCommand.class,
      StatusCommand.class,
      ReleaseCommand.class,
      ResumeCommand.class,
      CommandLine.HelpCommand.class
    })
public final class HaAgentCommand extends CommandGroup {

  /** Runs the CLI and exits with its code. */
  public static void main(String[] args) {
    CommandGroup.main(new HaAgentCommand(), args);
  }

  /** Reports the build's version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return CommandGroup.version("ha-agent", HaAgentCommand.class);
    }
  }
}
