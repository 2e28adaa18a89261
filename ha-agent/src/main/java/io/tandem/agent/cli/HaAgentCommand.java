package io.tandem.agent.cli;

import io.tandem.process.log.ProcessLogging;
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
public final class HaAgentCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** Runs the CLI and exits with its code. */
  public static void main(String[] args) {
    ProcessLogging.selectLogManager();
    System.exit(new CommandLine(new HaAgentCommand()).execute(args));
  }

  /** Reports the build's version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = HaAgentCommand.class.getPackage().getImplementationVersion();
      return new String[] {"ha-agent " + (v == null ? "dev" : v)};
    }
  }
}
