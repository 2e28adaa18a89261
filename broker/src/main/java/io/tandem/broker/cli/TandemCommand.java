package io.tandem.broker.cli;

import io.tandem.process.log.ProcessLogging;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tandem} command. */
@Command(
    name = "tandem",
    mixinStandardHelpOptions = true,
    versionProvider = TandemCommand.Version.class,
    description = "Tandem message broker.",
    subcommands = {
      BrokerCommand.class,
      ConfigCommand.class,
      LockCommand.class,
      ProbeCommand.class,
      StoreCommand.class,
      StorageCheckCommand.class,
      PasswdCommand.class,
      AdminCommands.Status.class,
      AdminCommands.Queues.class,
      AdminCommands.Topics.class,
      AdminCommands.Durables.class,
      AdminCommands.Connections.class,
      AdminCommands.Purge.class,
      AdminCommands.Create.class,
      AdminCommands.Delete.class,
      AdminCommands.Shutdown.class,
      CommandLine.HelpCommand.class
    })
public final class TandemCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** Runs the CLI and exits with its code. */
  public static void main(String[] args) {
    ProcessLogging.selectLogManager();
    System.exit(new CommandLine(new TandemCommand()).execute(args));
  }

  /** Reports the build's version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = TandemCommand.class.getPackage().getImplementationVersion();
      return new String[] {"tandem " + (v == null ? "dev" : v)};
    }
  }
}
