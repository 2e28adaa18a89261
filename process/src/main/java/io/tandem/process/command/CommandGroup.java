package io.tandem.process.command;

import io.tandem.process.log.ProcessLogging;
import picocli.CommandLine;

/**
 * A command made only of subcommands: run on its own it is a usage error (exit status 2, Picocli's
 * usage error), as {@code tandem} and {@code ha-agent} without a subcommand are.
 */
public abstract class CommandGroup implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /**
   * Runs {@code group} on {@code args} and exits with its status. The log manager is chosen before
   * anything can log, so the last lines of a stopping process are never lost.
   */
  public static void main(CommandGroup group, String[] args) {
    ProcessLogging.selectLogManager();
    System.exit(new CommandLine(group).execute(args));
  }

  /** The version line: {@code name} and the version of the jar that holds {@code type}. */
  public static String[] version(String name, Class<?> type) {
    String v = type.getPackage().getImplementationVersion();
    return new String[] {name + " " + (v == null ? "dev" : v)};
  }
}
