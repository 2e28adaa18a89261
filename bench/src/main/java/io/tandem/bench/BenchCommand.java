package io.tandem.bench;

import io.tandem.bench.scenario.Scenario;
import io.tandem.bench.scenario.Scenarios;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tandem-bench}: one subcommand per scenario, and {@code all}. */
@Command(
    name = "tandem-bench",
    mixinStandardHelpOptions = true,
    description = {
      "Runs Tandem and ActiveMQ Artemis side by side, each in its own JVM, driven over AMQP by"
          + " Qpid JMS from this JVM, and writes JSON and Markdown results."
    })
public final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name a scenario, or 'all' for every scenario");
  }

  /** Kept so the level set on it is not lost when the logger is collected. */
  private static final java.util.logging.Logger CLIENT_LOG =
      java.util.logging.Logger.getLogger("org.apache.qpid.jms");

  public static void main(String[] args) {
    // Connection notices from the client would drown the progress lines.
    CLIENT_LOG.setLevel(java.util.logging.Level.WARNING);
    System.exit(commandLine().execute(args));
  }

  /** The command line with its subcommands. */
  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new BenchCommand());
    cl.addSubcommand("all", describe(new RunCommand(0), "Every scenario, 1 to 10."));
    for (Scenario s : Scenarios.all()) {
      cl.addSubcommand(
          s.name(),
          describe(new RunCommand(s.number()), "Scenario " + s.number() + ": " + s.title()));
    }
    return cl;
  }

  private static CommandLine describe(RunCommand command, String description) {
    CommandLine cl = new CommandLine(command);
    cl.getCommandSpec().usageMessage().description(description);
    return cl;
  }
}
