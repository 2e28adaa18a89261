package io.tandem.broker.cli;

import io.tandem.broker.BrokerException;
import io.tandem.broker.config.ConfigLoader;
import io.tandem.broker.config.Endpoint;
import io.tandem.broker.ems.EmsImport;
import io.tandem.broker.ems.Unmapped;
import io.tandem.broker.security.AccessControl;
import io.tandem.process.config.ConfigFile;
import io.tandem.process.endpoint.ConnectAddress;
import io.tandem.process.log.ProcessLogging;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tandem config}: what a broker started with a tandem.conf would read from it, so that
 * scripts and cluster agents ask the broker instead of parsing the file themselves. Every
 * subcommand validates the whole configuration first, exactly as {@code tandem broker} does before
 * it touches the store, and refuses to answer from an invalid one.
 */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Print what a broker would read from tandem.conf.",
    subcommands = {
      ConfigCommand.Get.class,
      ConfigCommand.HealthUrl.class,
      ConfigCommand.Check.class,
      ConfigCommand.ImportEms.class
    })
final class ConfigCommand implements Runnable {
  /** A known key that this configuration leaves unset, and that has no default of its own. */
  static final int NOT_SET = ExitCodes.FAILURE;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required (get, health-url, check, import-ems)");
  }

  /** What the subcommands share: the file, loading it, and reporting a refusal. */
  abstract static class Query implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--config",
        paramLabel = "FILE",
        description = "tandem.conf to read (default: $TANDEM_HOME/conf/tandem.conf)")
    Path config;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try {
        String answer = answer();
        if (answer == null) {
          return NOT_SET;
        }
        out.println(answer);
        return ExitCodes.OK;
      } catch (BrokerException e) {
        return refuse(e.getMessage());
      } finally {
        out.flush();
        spec.commandLine().getErr().flush();
      }
    }

    /** The line to print, or null when there is none (the reason already on stderr). */
    abstract String answer();

    /** Loads and validates the configuration as the broker does at start. */
    ConfigLoader.Loaded load() {
      ConfigLoader.Loaded loaded =
          ConfigLoader.loadWithValues(config != null ? config : BrokerCommand.defaultConfig());
      // the broker refuses a bad users, groups or acl file at start too
      AccessControl.load(loaded.config().security());
      return loaded;
    }

    int refuse(String reason) {
      spec.commandLine().getErr().println("tandem config " + spec.name() + ": " + reason);
      return ExitCodes.CONFIG;
    }
  }

  /** {@code tandem config get KEY}: the value the broker uses for KEY. */
  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = {
        "Print the value a broker uses for KEY: as set in the file or the broker's default,"
            + " paths resolved against the file's directory.",
        "Exit status: 0 printed; 1 KEY is not set and has no default; 2 KEY is no tandem.conf"
            + " key, or the configuration is invalid (stderr names file:line)."
      })
  static final class Get extends Query {
    @Parameters(paramLabel = "KEY", description = "a tandem.conf key, e.g. store")
    String key;

    @Override
    String answer() {
      if (!ConfigLoader.keys().contains(key)) {
        throw new BrokerException(
            BrokerException.Category.CONFIG, ConfigFile.unknownKey(key, ConfigLoader.keys()));
      }
      ConfigLoader.Loaded loaded = load();
      String value = loaded.values().get(key);
      if (value == null) {
        spec.commandLine()
            .getErr()
            .println(
                "tandem config get: "
                    + key
                    + " is not set in "
                    + loaded.config().source()
                    + " and has no default");
      }
      return value;
    }
  }

  /**
   * {@code tandem config health-url}: where {@code GET /health} of this broker answers, for the
   * cluster agents that poll it.
   */
  @Command(
      name = "health-url",
      mixinStandardHelpOptions = true,
      description = {
        "Print the URL of the broker's /health: admin_listen's scheme and port, a wildcard host"
            + " asked on loopback.",
        "Exit status: 0 printed; 2 the configuration is invalid (stderr names file:line) or"
            + " admin_listen has port 0, which names no fixed URL."
      })
  static final class HealthUrl extends Query {
    @Override
    String answer() {
      Endpoint admin = load().config().adminListen();
      if (admin.port() == 0) {
        throw new BrokerException(
            BrokerException.Category.CONFIG,
            "admin_listen "
                + admin
                + " has port 0: the broker picks a free port at each start, so there is no fixed"
                + " health URL");
      }
      return healthUrl(admin);
    }
  }

  /**
   * {@code tandem config check}: everything a start would refuse in the configuration and the files
   * and directory it names, found without starting anything.
   */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Check a configuration without starting anything: tandem.conf, every file it names"
            + " (queues, topics, users, groups, acl_list, password_file, TLS certificates, keys"
            + " and CAs) and the store directory, as this user sees it. Prints what it checked.",
        "Exit status: 0 valid; 2 invalid (stderr names file:line and the reason)."
      })
  static final class Check extends Query {
    @Override
    String answer() {
      return String.join(System.lineSeparator(), ConfigCheck.report(load()));
    }
  }

  /**
   * {@code tandem config import-ems DIR}: an EMS configuration directory converted into a Tandem
   * one, every line that has no equivalent reported as {@code file:line: reason}.
   */
  @Command(
      name = "import-ems",
      mixinStandardHelpOptions = true,
      description = {
        "Convert a TIBCO EMS configuration directory (tibemsd.conf and the queues, topics, users,"
            + " groups and acl_list files it names) into a Tandem configuration directory, and"
            + " check that it loads. Every EMS line that could not be mapped is printed on stderr"
            + " as file:line: reason (docs/migrating-from-ems.md).",
        "Exit status: 0 every line mapped; 1 the configuration was written but some lines were"
            + " not mapped (stderr lists them); 2 nothing written: DIR or a file in it is"
            + " unreadable, or an output file exists already."
      })
  static final class ImportEms implements Callable<Integer> {
    /** Written, and it loads, but some EMS lines have no equivalent. */
    static final int NOT_ALL_MAPPED = ExitCodes.FAILURE;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "the EMS configuration directory (tibemsd.conf)")
    Path emsDir;

    @Option(
        names = "--out",
        paramLabel = "DIR",
        description =
            "directory to write tandem.conf and its files into; created if missing, and none of"
                + " the files may exist in it yet (default: ${DEFAULT-VALUE})")
    Path out = Path.of("tandem-from-ems");

    @Override
    public Integer call() {
      PrintWriter stdout = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      // the readers' warnings on the converted files (an acl naming a user not in the users
      // file) in the broker's one-line form
      ProcessLogging.install(Level.WARNING);
      try {
        EmsImport.Result result = EmsImport.convert(emsDir);
        Path conf = result.write(out);
        List<Unmapped> unmapped = result.unmapped();
        unmapped.forEach(u -> err.println(u));
        stdout.println("wrote " + String.join(", ", result.fileNames()) + " in " + out);
        if (unmapped.isEmpty()) {
          stdout.println("every line mapped; check it with: tandem config check --config " + conf);
          return ExitCodes.OK;
        }
        stdout.println(
            unmapped.size()
                + " not mapped (listed on stderr, and as comments in the files); "
                + "the configuration loads: tandem config check --config "
                + conf);
        return NOT_ALL_MAPPED;
      } catch (BrokerException e) {
        err.println("tandem config import-ems: " + e.getMessage());
        return ExitCodes.CONFIG;
      } finally {
        stdout.flush();
        err.flush();
      }
    }
  }

  /** The {@code /health} URL of an admin endpoint, reached on loopback when it is a wildcard. */
  static String healthUrl(Endpoint admin) {
    String authority = ConnectAddress.forUri(ConnectAddress.of(admin.host()));
    return admin.scheme() + "://" + authority + ":" + admin.port() + "/health";
  }
}
