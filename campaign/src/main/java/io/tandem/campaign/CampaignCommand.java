package io.tandem.campaign;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/tandem-campaign}: a long fault campaign, its table, and an exit status to act on. */
@Command(
    name = "tandem-campaign",
    mixinStandardHelpOptions = true,
    description =
        "Runs a fault campaign against a deployment on hosts built as network namespaces and"
            + " prints what the checker found. Needs root.")
public final class CampaignCommand implements Callable<Integer> {
  /** The campaign ran and found nothing wrong. */
  static final int OK = 0;

  /**
   * The campaign found a lost message, a duplicate, two primaries or a pair that did not recover.
   */
  static final int FOUND = 1;

  /** Bad arguments, or a mode that is not built yet. */
  static final int USAGE = 2;

  /** The hosts could not be built here (not root, no ip netns). */
  static final int UNAVAILABLE = 3;

  @Option(
      names = "--mode",
      description = "ft (ha and pacemaker are not built yet)",
      required = true)
  String mode;

  @Option(
      names = "--lock",
      description =
          "ft: the store's file lock (file, two hosts) or a ZooKeeper lock on a three-node"
              + " ensemble, one node per host (zookeeper, three hosts); default ${DEFAULT-VALUE}")
  String lock = "file";

  @Option(names = "--faults", description = "faults to inject (default ${DEFAULT-VALUE})")
  int faults = 30;

  @Option(names = "--seed", description = "the nemesis's seed (default: the time)")
  Long seed;

  @Option(
      names = "--minutes",
      description = "stop injecting after this long (default ${DEFAULT-VALUE})")
  int minutes = 15;

  @Option(
      names = "--home",
      description = "the Tandem checkout holding bin/tandem (default: $TANDEM_HOME)")
  Path home;

  @Option(
      names = "--client-option",
      description =
          "an option appended to the clients' failover URI, e.g."
              + " failover.nested.amqp.idleTimeout=5000 (repeatable)")
  java.util.List<String> clientOptions = new java.util.ArrayList<>();

  @Option(names = "--dir", description = "where to keep logs and history (default: a new one)")
  Path dir;

  @Override
  public Integer call() throws Exception {
    if (!mode.equals("ft")) {
      System.err.println("tandem-campaign: mode " + mode + " is not built yet (only ft is)");
      return USAGE;
    }
    if (!lock.equals("file") && !lock.equals("zookeeper")) {
      System.err.println("tandem-campaign: --lock takes file or zookeeper, not " + lock);
      return USAGE;
    }
    if (faults < 1) {
      System.err.println("tandem-campaign: --faults takes a positive count");
      return USAGE;
    }
    String why = Hosts.unavailableReason();
    if (why != null) {
      System.err.println("tandem-campaign: " + why);
      return UNAVAILABLE;
    }
    long s = seed != null ? seed : System.currentTimeMillis();
    Path h = home != null ? home : Path.of(System.getenv().getOrDefault("TANDEM_HOME", "."));
    Path d =
        dir != null
            ? dir
            : Files.createTempDirectory(
                "tandem-campaign-" + s + "-" + Instant.now().getEpochSecond());
    Report r =
        Campaign.run(
            new Campaign.Settings(
                h.toAbsolutePath(),
                d,
                faults,
                s,
                Duration.ofMinutes(minutes),
                clientOptions,
                System.out,
                lock.equals("zookeeper")));
    System.out.println();
    System.out.print(r.table());
    r.exits().forEach(e -> System.out.println("exited: " + e));
    r.problems().forEach(p -> System.out.println("PROBLEM: " + p));
    System.out.println("seed " + s + "; logs, history and samples in " + d);
    return r.problems().isEmpty() ? OK : FOUND;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new CampaignCommand()).execute(args));
  }
}
