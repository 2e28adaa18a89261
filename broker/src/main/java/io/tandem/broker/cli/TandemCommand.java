package io.tandem.broker.cli;

import io.tandem.process.command.CommandGroup;
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
public final class TandemCommand extends CommandGroup {

  /** Runs the CLI and exits with its code. */
  public static void main(String[] args) {
    CommandGroup.main(new TandemCommand(), args);
  }

  /** Reports the build's version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return CommandGroup.version("tandem", TandemCommand.class);
    }
  }
}
