package io.tandem.broker.cli;

import io.tandem.broker.BrokerException;
import io.tandem.broker.store.StoreReport;
import io.tandem.broker.store.Stores;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code tandem store info|verify|dump DIR}: reads a store without changing it, e.g. a stopped
 * broker's. {@code tandem store fence DIR} reads or raises the store's fence epoch.
 */
@Command(
    name = "store",
    mixinStandardHelpOptions = true,
    description = "Inspect a store directory (read-only), or read and raise its fence.",
    subcommands = {
      StoreCommand.Info.class,
      StoreCommand.Verify.class,
      StoreCommand.Dump.class,
      StoreCommand.Fence.class,
      StoreCommand.Bench.class
    })
final class StoreCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** Common handling: the directory must exist; failures become one line and a status. */
  abstract static class StoreAction implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "the store directory")
    Path dir;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      if (!Files.isDirectory(dir)) {
        spec.commandLine().getErr().println("tandem store: " + dir + " is not a directory");
        return ExitCodes.FAILURE;
      }
      try {
        return run(out);
      } catch (BrokerException e) {
        spec.commandLine().getErr().println("tandem store: " + e.getMessage());
        return ExitCodes.FAILURE;
      } finally {
        out.flush();
      }
    }

    abstract int run(PrintWriter out);
  }

  /** Sizes, record counts, epochs, live messages per destination, problems. */
  @Command(name = "info", mixinStandardHelpOptions = true, description = "Summarise a store.")
  static final class Info extends StoreAction {
    @Override
    int run(PrintWriter out) {
      StoreReport r = Stores.inspect(dir);
      out.println("store " + dir.toAbsolutePath().normalize());
      out.println("fence epoch " + Stores.fence(dir));
      long total = r.files().values().stream().mapToLong(Long::longValue).sum();
      out.println("files (" + total + " bytes):");
      r.files().forEach((f, size) -> out.println("  " + f + " " + size));
      out.println("records by type:");
      r.recordsByType().forEach((t, n) -> out.println("  " + t + " " + n));
      out.println("epochs seen: " + r.epochs());
      out.println("live messages by queue:");
      r.liveByQueue().forEach((q, n) -> out.println("  " + q + " " + n));
      out.println("durable subscriptions: " + r.subscriptions());
      out.println("last message id: " + r.lastMessageId());
      out.println("clean shutdown: " + r.cleanShutdown());
      printProblems(r, out);
      return ExitCodes.OK;
    }
  }

  /** Lists torn and corrupt records; exits non-zero when anything before a tail is corrupt. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Check every record's CRC. Exit 0: readable (torn tails are reported but are what a"
              + " crash leaves); 4: corrupt records before the tail.")
  static final class Verify extends StoreAction {
    @Override
    int run(PrintWriter out) {
      StoreReport r = Stores.inspect(dir);
      long records = r.recordsByType().values().stream().mapToLong(Long::longValue).sum();
      out.println(records + " valid records in " + r.files().size() + " files");
      printProblems(r, out);
      if (r.hasCorruption()) {
        out.println("CORRUPT: the broker refuses to start on this store without --force-start");
        return ExitCodes.STORE_CORRUPT;
      }
      out.println("OK");
      return ExitCodes.OK;
    }
  }

  /**
   * Prints the fence epoch; with {@code --raise} or {@code --epoch}, raises it first. This is the
   * activator's step before {@code tandem broker --mode ha --epoch N}: it runs while the activator
   * holds its cluster lock, so the printed epoch is the only one allowed to write the store.
   */
  @Command(
      name = "fence",
      mixinStandardHelpOptions = true,
      description = {
        "Print the store's fence epoch; with --raise or --epoch, raise it durably first and print"
            + " the new epoch.",
        "Exit 0: done; 3: the fence already holds a greater epoch than --epoch; 1: I/O error."
      })
  static final class Fence implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "the store directory")
    Path dir;

    @CommandLine.ArgGroup(exclusive = true)
    Raise raise;

    static final class Raise {
      @CommandLine.Option(
          names = "--raise",
          required = true,
          description = "raise the fence to one more than it holds (creates DIR if missing)")
      boolean next;

      @CommandLine.Option(
          names = "--epoch",
          required = true,
          paramLabel = "N",
          description = "raise the fence to exactly N; refused if it holds more")
      long epoch;
    }

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try {
        if (raise != null) {
          long epoch = raise.next ? Stores.fence(dir) + 1 : raise.epoch;
          Stores.raiseFence(dir, epoch);
        } else if (!Files.isDirectory(dir)) {
          spec.commandLine().getErr().println("tandem store: " + dir + " is not a directory");
          return ExitCodes.FAILURE;
        }
        out.println(Stores.fence(dir));
        return ExitCodes.OK;
      } catch (BrokerException e) {
        spec.commandLine().getErr().println("tandem store fence: " + e.getMessage());
        return e.category() == BrokerException.Category.FENCED
            ? ExitCodes.FENCED
            : ExitCodes.FAILURE;
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("tandem store fence: " + e.getMessage());
        return ExitCodes.FAILURE;
      } finally {
        out.flush();
      }
    }
  }

  /** Every record, one line each. */
  @Command(name = "dump", mixinStandardHelpOptions = true, description = "Print every record.")
  static final class Dump extends StoreAction {
    @Override
    int run(PrintWriter out) {
      java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
      try (java.io.PrintStream ps =
          new java.io.PrintStream(buffer, true, java.nio.charset.StandardCharsets.UTF_8)) {
        Stores.dump(dir, ps);
      }
      out.print(buffer.toString(java.nio.charset.StandardCharsets.UTF_8));
      return ExitCodes.OK;
    }
  }

  /** Throughput next to the disk's fdatasync rate, and recovery time; writes scratch stores. */
  @Command(
      name = "bench",
      mixinStandardHelpOptions = true,
      description =
          "Benchmark a directory on the store's file system: fdatasync rate, failsafe send"
              + " throughput with 1 and 32 producers, recovery time (writes scratch stores in DIR).")
  static final class Bench extends StoreAction {
    @CommandLine.Option(names = "--size", description = "message bytes (default 1024)")
    int size = 1024;

    @CommandLine.Option(names = "--seconds", description = "duration of each rate (default 5)")
    int seconds = 5;

    @CommandLine.Option(
        names = "--recovery-messages",
        description = "messages in the recovery test (default 1000000; 0 skips it)")
    int recoveryMessages = 1_000_000;

    @Override
    int run(PrintWriter out) {
      StoreBench bench = new StoreBench(dir, out, size, java.time.Duration.ofSeconds(seconds));
      try {
        out.printf("fdatasync: %.0f per second (%d-byte appends)%n", bench.fdatasyncRate(), size);
        out.flush();
        for (int producers : new int[] {1, 32}) {
          out.printf(
              "failsafe sends, %d synchronous producer(s): %.0f messages per second%n",
              producers, bench.sendRate(producers));
          out.flush();
        }
        if (recoveryMessages > 0) {
          bench.recovery(recoveryMessages);
        }
      } catch (java.io.IOException e) {
        throw new BrokerException(BrokerException.Category.STORE_IO, e.toString(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ExitCodes.FAILURE;
      }
      return ExitCodes.OK;
    }
  }

  static void printProblems(StoreReport r, PrintWriter out) {
    if (r.problems().isEmpty()) {
      out.println("problems: none");
      return;
    }
    out.println("problems:");
    for (StoreReport.Problem p : r.problems()) {
      out.println("  " + p);
    }
  }
}
