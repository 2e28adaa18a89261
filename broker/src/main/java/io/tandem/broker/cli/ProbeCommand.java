package io.tandem.broker.cli;

import io.tandem.broker.BrokerException;
import io.tandem.broker.config.BrokerConfig;
import io.tandem.broker.config.ConfigLoader;
import io.tandem.broker.config.Endpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tandem probe}: one persistent message through a running broker and back. The OCF and VCS
 * agents run it for their deepest monitor; an operator can run it by hand.
 */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    description = {
      "Send one persistent message to a queue of a running broker and receive it back.",
      "Exit 0: round trip done; 1: no round trip (refused, rejected or timed out);"
          + " 2: configuration or option error."
    })
final class ProbeCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "the broker's tandem.conf; the probe connects to its first listener"
              + " (default: $TANDEM_HOME/conf/tandem.conf)")
  Path config;

  @Option(
      names = "--queue",
      paramLabel = "NAME",
      description =
          "queue to use; the broker's queues file must allow it (default: ${DEFAULT-VALUE})")
  String queue = "tandem.probe";

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "give up after this many seconds (default: ${DEFAULT-VALUE})")
  double timeoutSeconds = 10;

  @Option(
      names = "--user",
      paramLabel = "NAME",
      description = "SASL PLAIN user (default: ANONYMOUS)")
  String user;

  @Option(
      names = "--password-file",
      paramLabel = "FILE",
      description = "file whose first line is the --user's password")
  Path passwordFile;

  @Override
  public Integer call() {
    java.io.PrintWriter err = spec.commandLine().getErr();
    if (!(timeoutSeconds > 0)) {
      err.println("tandem probe: --timeout must be positive");
      return ExitCodes.CONFIG;
    }
    try {
      Path file = config != null ? config : BrokerCommand.defaultConfig();
      BrokerConfig cfg = ConfigLoader.load(file);
      Endpoint listener = cfg.listen().get(0);
      if (listener.port() == 0) {
        err.println("tandem probe: " + file + " listens on port 0; the probe needs a fixed port");
        return ExitCodes.CONFIG;
      }
      String host = connectHost(listener.host());
      String password = user == null ? null : password();
      Duration timeout = Duration.ofMillis((long) (timeoutSeconds * 1000));
      new AmqpProbe(host, listener.port(), queue, user, password).run(timeout);
      spec.commandLine().getOut().println("probe ok: " + listener + " queue " + queue);
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    } catch (BrokerException e) {
      err.println("tandem probe: " + e.getMessage());
      return ExitCodes.CONFIG;
    } catch (IOException e) {
      err.println("tandem probe: " + e.getMessage());
      return ExitCodes.FAILURE;
    } finally {
      err.flush();
    }
  }

  /** A wildcard listener accepts connections on loopback. */
  static String connectHost(String host) {
    return switch (host) {
      case "0.0.0.0", "*", "" -> "127.0.0.1";
      case "::" -> "::1";
      default -> host;
    };
  }

  private String password() {
    if (passwordFile == null) {
      throw new BrokerException(BrokerException.Category.CONFIG, "--user needs --password-file");
    }
    try {
      String text = Files.readString(passwordFile, StandardCharsets.UTF_8);
      int newline = text.indexOf('\n');
      return newline < 0 ? text : text.substring(0, newline);
    } catch (IOException e) {
      throw new BrokerException(
          BrokerException.Category.CONFIG, "cannot read password file " + passwordFile, e);
    }
  }
}
