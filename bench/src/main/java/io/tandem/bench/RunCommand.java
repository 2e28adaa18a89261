package io.tandem.bench;

import io.tandem.bench.broker.Brokers;
import io.tandem.bench.scenario.Lab;
import io.tandem.bench.scenario.Scenario;
import io.tandem.bench.scenario.Scenarios;
import io.tandem.bench.scenario.Settings;
import io.tandem.bench.scenario.Warmup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs one scenario (or all) on both brokers and writes the results. */
@Command(mixinStandardHelpOptions = true)
final class RunCommand implements Callable<Integer> {
  private static final java.util.regex.Pattern XMX =
      java.util.regex.Pattern.compile("-Xmx(\\d+)([kKmMgG]?)");

  private final int scenario;

  @Spec CommandSpec spec;

  @Option(
      names = "--quick",
      description = "Tiny counts and windows, 1 repetition: keeps the command working.")
  boolean quick;

  @Option(
      names = "--reps",
      paramLabel = "N",
      description = "Repetitions per broker (default 3; 1 with --quick).")
  Integer reps;

  @Option(
      names = "--results",
      paramLabel = "DIR",
      description = "Where results go (default: bench/results in the checkout).")
  Path results;

  @Option(
      names = "--home",
      paramLabel = "DIR",
      description =
          "The Tandem checkout holding bin/tandem (default: $TANDEM_HOME, else the current directory).")
  Path home;

  @Option(
      names = "--failover-runs",
      paramLabel = "N",
      description = "Kills per broker in each part of scenario 10 (default 10; 1 with --quick).")
  Integer failoverRuns;

  @Option(
      names = "--failover-backlog",
      paramLabel = "N",
      description =
          "Live 1 KB messages in the store at scenario 10's second kill (default 100000; 2000 with"
              + " --quick).")
  Integer failoverBacklog;

  @Option(
      names = "--broker-jvm-opts",
      paramLabel = "OPTS",
      defaultValue = "-Xms32m -Xmx6g -XX:+UseSerialGC",
      description = "JVM options of both brokers (default: ${DEFAULT-VALUE}).")
  String brokerJvmOptions;

  @Option(
      names = "--no-warmup",
      description =
          "Skip the client's warm-up on both brokers before the first scenario (then the first"
              + " broker measured also pays for the client's JIT compilation).")
  boolean noWarmup;

  RunCommand(int scenario) {
    this.scenario = scenario;
  }

  @Override
  public Integer call() throws IOException {
    Path checkout = checkout();
    Path out = results != null ? results : checkout.resolve("bench/results");
    Settings settings = quick ? Settings.quick(reps(1)) : Settings.full(reps(3));
    settings =
        settings.withFailover(
            atLeastOne("--failover-runs", failoverRuns, settings.failoverRuns()),
            atLeastOne("--failover-backlog", failoverBacklog, settings.failoverBacklog()));
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    String stamp = now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path work = out.resolve("run-" + stamp);
    double[] loadStart = Machine.loadAverage();
    long t0 = System.nanoTime();
    System.out.println("measuring the disk's fdatasync rate in " + work);
    Duration fdatasyncFor = Duration.ofMillis(quick ? 500 : 3000);
    Machine machine = Machine.measure(work, fdatasyncFor);
    long bufferTimeoutNs = Math.max(1_000, Math.round(1e9 / machine.fdatasyncPerSecond()));
    System.out.printf(
        "%.0f fdatasync/s; load average %s%n",
        machine.fdatasyncPerSecond(), Machine.formatLoad(loadStart));
    List<String> jvm = Arrays.asList(brokerJvmOptions.trim().split("\\s+"));
    List<ScenarioResult> done = new ArrayList<>();
    double warmupSeconds = 0;
    try (Brokers brokers =
        new Brokers(
            checkout,
            jvm,
            System.getProperty("java.class.path"),
            bufferTimeoutNs,
            maxMsgMemory(jvm))) {
      Lab lab = new Lab(brokers, settings, work);
      if (!noWarmup) {
        warmupSeconds = Warmup.run(lab, System.out);
      }
      Runner runner = new Runner(lab, System.out);
      for (Scenario s : Scenarios.all()) {
        if (scenario == 0 || s.number() == scenario) {
          done.add(runner.run(s));
        }
      }
    }
    Report.Header header =
        new Report.Header(
            now.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
            "bin/tandem-bench "
                + String.join(" ", spec.commandLine().getParseResult().originalArgs()),
            settings,
            jvm,
            bufferTimeoutNs,
            loadStart,
            Machine.loadAverage(),
            Machine.fdatasyncRate(work, fdatasyncFor),
            warmupSeconds,
            (System.nanoTime() - t0) / 1e9);
    Report report = new Report(header, machine, done);
    write(out, stamp, report);
    boolean complete =
        done.stream().allMatch(r -> r.errors.values().stream().allMatch(List::isEmpty));
    return complete ? 0 : 1;
  }

  private int atLeastOne(String option, Integer given, int otherwise) {
    if (given == null) {
      return otherwise;
    }
    if (given < 1) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), option + " must be at least 1, not " + given);
    }
    return given;
  }

  /**
   * Tandem's {@code max_msg_memory}: half the heap, as Artemis sizes its global-max-size by
   * default, so both brokers start holding back producers (Tandem) or paging (Artemis) at the same
   * amount of message data.
   */
  static long maxMsgMemory(List<String> jvm) {
    long heap = 1024L * 1024 * 1024;
    for (String o : jvm) {
      java.util.regex.Matcher m = XMX.matcher(o);
      if (m.matches()) {
        long unit =
            switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
              case "k" -> 1024L;
              case "m" -> 1024L * 1024;
              case "g" -> 1024L * 1024 * 1024;
              default -> 1L;
            };
        heap = Long.parseLong(m.group(1)) * unit;
      }
    }
    return heap / 2;
  }

  private int reps(int fallback) {
    int n = reps == null ? fallback : reps;
    if (n < 1 || n > 100) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--reps must be 1 to 100");
    }
    return n;
  }

  private Path checkout() {
    Path h = home;
    if (h == null) {
      String env = System.getenv("TANDEM_HOME");
      h = Path.of(env != null ? env : ".");
    }
    h = h.toAbsolutePath().normalize();
    if (!Files.isExecutable(h.resolve("bin/tandem"))) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "no bin/tandem in " + h + "; use --home");
    }
    return h;
  }

  private static void write(Path out, String stamp, Report report) throws IOException {
    Files.createDirectories(out);
    Path json = out.resolve("bench-" + stamp + ".json");
    Path md = out.resolve("bench-" + stamp + ".md");
    Path ratios = out.resolve("bench-" + stamp + "-ratios.svg");
    Path latency = out.resolve("bench-" + stamp + "-latency.svg");
    Files.writeString(json, report.json() + "\n");
    Files.writeString(ratios, report.advantagesSvg());
    Files.writeString(latency, report.latencySvg());
    String markdown =
        report.markdown()
            + "\nCharts: [Tandem's advantage per figure]("
            + ratios.getFileName()
            + "), [latency percentiles]("
            + latency.getFileName()
            + ").\n";
    Files.writeString(md, markdown);
    Files.copy(json, out.resolve("latest.json"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(md, out.resolve("latest.md"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(ratios, out.resolve("latest-ratios.svg"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(latency, out.resolve("latest-latency.svg"), StandardCopyOption.REPLACE_EXISTING);
    System.out.println();
    System.out.println(markdown);
    System.out.println("results: " + json + " and " + md);
  }
}
