package io.tandem.broker.cli;

import io.tandem.broker.BrokerException;
import io.tandem.broker.storagecheck.CheckOptions;
import io.tandem.broker.storagecheck.CheckReport;
import io.tandem.broker.storagecheck.LockSimulation;
import io.tandem.broker.storagecheck.Peer;
import io.tandem.broker.storagecheck.StorageCheck;
import io.tandem.broker.storagecheck.TwoPhase;
import io.tandem.process.log.ProcessLogging;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tandem storage-check DIR}: tests EMS's four shared-storage criteria on DIR and judges
 * them; {@code --peer} is the other host's side; {@code --phase write|verify} is the power-cut
 * test.
 */
@Command(
    name = "storage-check",
    mixinStandardHelpOptions = true,
    description = {
      "Qualify a directory on shared storage for a Tandem store: write order, synchronous write"
          + " persistence, distributed file locking and unique write ownership, each PASS or FAIL"
          + " with its evidence, plus fdatasync latency, sequential bandwidth and lock latency.",
      "Exit 0: every criterion passed; 1: a criterion failed (or no peer answered); 2: bad"
          + " arguments or DIR is not a directory."
    })
final class StorageCheckCommand implements Callable<Integer> {
  /**
   * The check fences its own test store on purpose; the store's FENCED log lines would read as an
   * alarm, and the report says what happened. Held here so the level setting is not collected.
   */
  private static final Logger STORE_LOG = Logger.getLogger("io.tandem.broker.store");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "a directory on the storage to check")
  Path dir;

  @Option(names = "--quick", description = "fewer rounds and smaller files (seconds, not a minute)")
  boolean quick;

  @Option(names = "--json", description = "print the report as one JSON object")
  boolean json;

  @Option(
      names = "--two-hosts",
      description =
          "the peer is 'tandem storage-check --peer DIR' on another host (default: a"
              + " local child process)")
  boolean twoHosts;

  @Option(
      names = "--peer",
      description = "be the peer of a check started with --two-hosts on another host")
  boolean peer;

  @Option(
      names = "--peer-timeout",
      paramLabel = "SECONDS",
      description = "how long to wait for the other side (default 60)")
  long peerTimeout = 60;

  @Option(
      names = "--phase",
      paramLabel = "PHASE",
      description = "write or verify: the two-phase crash test of synchronous write persistence")
  String phase;

  @Option(
      names = "--seconds",
      paramLabel = "N",
      description = "--phase write: how long to write (default 60)")
  long seconds = 60;

  @Option(
      names = "--acknowledged",
      paramLabel = "N",
      description = "--phase verify: the last count the write phase printed, kept elsewhere")
  long acknowledged;

  @Option(
      names = "--simulate-locks",
      paramLabel = "KIND",
      description =
          "demonstrate a failing lock: unsupported (every lock call fails, as with"
              + " ENOLCK) or host-local (each process locks a file of its own, as with NFS nolock)")
  String simulateLocks;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ProcessLogging.install(Level.WARNING);
    STORE_LOG.setLevel(Level.OFF);
    try {
      if (peer) {
        return Peer.serve(dir, Duration.ofSeconds(peerTimeout), out);
      }
      if (phase != null) {
        return runPhase(out);
      }
      LockSimulation locks =
          simulateLocks == null ? LockSimulation.NONE : LockSimulation.of(simulateLocks);
      CheckReport report =
          StorageCheck.run(
              new CheckOptions(dir, quick, twoHosts, Duration.ofSeconds(peerTimeout), locks), err);
      out.print(json ? report.json() + "\n" : report.text());
      return report.passed() ? ExitCodes.OK : ExitCodes.FAILURE;
    } catch (IllegalArgumentException e) {
      err.println("tandem storage-check: " + e.getMessage());
      return ExitCodes.CONFIG;
    } catch (BrokerException e) {
      err.println("tandem storage-check: " + e.getMessage());
      return e.category() == BrokerException.Category.CONFIG ? ExitCodes.CONFIG : ExitCodes.FAILURE;
    } finally {
      out.flush();
      err.flush();
    }
  }

  private int runPhase(PrintWriter out) {
    switch (phase) {
      case "write" -> {
        TwoPhase.write(dir, Duration.ofSeconds(seconds), out);
        return ExitCodes.OK;
      }
      case "verify" -> {
        CheckReport report = TwoPhase.verify(dir, acknowledged);
        out.print(json ? report.json() + "\n" : report.text());
        return report.passed() ? ExitCodes.OK : ExitCodes.FAILURE;
      }
      default -> throw new IllegalArgumentException("--phase is write or verify, not " + phase);
    }
  }
}
