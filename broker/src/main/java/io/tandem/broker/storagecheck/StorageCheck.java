package io.tandem.broker.storagecheck;

import io.tandem.broker.BrokerException;
import io.tandem.lock.LockException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs a storage check: finds the peer through the directory, then tests the four criteria one
 * after the other and takes the measurements. Every criterion is judged even if an earlier one
 * failed, so one run shows everything that is wrong.
 */
public final class StorageCheck {
  static final String SHARED = "shared directory";

  private StorageCheck() {}

  /**
   * Runs the check described by {@code options}; progress lines go to {@code progress}.
   *
   * @throws BrokerException {@code CONFIG} if the directory does not exist
   */
  public static CheckReport run(CheckOptions options, PrintWriter progress) {
    if (!Files.isDirectory(options.dir())) {
      throw new BrokerException(
          BrokerException.Category.CONFIG,
          options.dir() + " is not a directory (is the shared volume mounted?)");
    }
    Rendezvous run = Rendezvous.create(options.dir());
    ChildProcess localPeer = null;
    try (Session session = new Session(options, run)) {
      if (!options.twoHosts()) {
        localPeer =
            session.child(
                "peer",
                "peer",
                options.dir().toString(),
                Long.toString(Math.max(1, options.peerTimeout().toSeconds())));
      }
      progress.println("waiting for the peer in " + run.dir());
      progress.flush();
      Optional<Map<String, String>> peer = run.awaitPeer(options.peerTimeout());
      if (peer.isEmpty()) {
        return noPeer(options, localPeer);
      }
      String peerName = peer.get().get("host") + " pid " + peer.get().get("pid");
      List<CriterionResult> results = new ArrayList<>();
      results.add(shared(options, peer.get(), peerName));
      results.add(judge(WriteOrderCheck.NAME, WriteOrderCheck::run, session, progress));
      results.add(judge(PersistenceCheck.NAME, PersistenceCheck::run, session, progress));
      results.add(judge(LockCheck.NAME, LockCheck::run, session, progress));
      results.add(judge(OwnershipCheck.NAME, OwnershipCheck::run, session, progress));
      progress.println("measuring");
      progress.flush();
      Map<String, String> figures = measure(session);
      session.ask(Map.of("job", "done"));
      if (localPeer != null) {
        localPeer.awaitExit(Duration.ofSeconds(30));
      }
      return new CheckReport(
          options.dir(), Rendezvous.hostName(), peerName, List.copyOf(results), figures);
    } finally {
      run.remove();
    }
  }

  private static CheckReport noPeer(CheckOptions options, ChildProcess localPeer) {
    String why =
        options.twoHosts()
            ? "no peer answered in "
                + options.dir()
                + " within "
                + options.peerTimeout().toSeconds()
                + " s. Either 'tandem storage-check --peer DIR' is not running on the other host,"
                + " or its directory is not the same storage as this one (a different export or"
                + " volume, an unmounted mount point, a local directory): files written here"
                + " never reached it"
            : "the local peer process did not answer within "
                + options.peerTimeout().toSeconds()
                + " s; its log: "
                + (localPeer == null ? "" : localPeer.logTail());
    List<CriterionResult> results = new ArrayList<>();
    results.add(new CriterionResult(SHARED, false, why, Map.of()));
    for (String name :
        List.of(WriteOrderCheck.NAME, PersistenceCheck.NAME, LockCheck.NAME, OwnershipCheck.NAME)) {
      results.add(CriterionResult.notRun(name, "no peer shares this directory"));
    }
    return new CheckReport(options.dir(), Rendezvous.hostName(), null, results, Map.of());
  }

  private static CriterionResult shared(
      CheckOptions options, Map<String, String> hello, String peerName) {
    boolean sameHost = Rendezvous.hostName().equals(hello.get("host"));
    String scope =
        options.twoHosts() && sameHost
            ? "; note: the peer runs on this same host, so this run qualifies the storage for"
                + " one host only"
            : options.twoHosts() ? "" : "; single-host run: the peer is a local process";
    return new CriterionResult(
        SHARED,
        true,
        "the peer (" + peerName + ") found this run's files in the directory and answered" + scope,
        Map.of("peer_host", hello.get("host"), "same_host", sameHost));
  }

  private static CriterionResult judge(
      String name,
      Function<Session, CriterionResult> check,
      Session session,
      PrintWriter progress) {
    progress.println("checking " + name);
    progress.flush();
    try {
      return check.apply(session);
    } catch (BrokerException | LockException e) {
      return new CriterionResult(
          name, false, "could not be completed: " + e.getMessage(), Map.of());
    }
  }

  private static Map<String, String> measure(Session session) {
    try {
      return Measurements.run(session.runDir(), session.options());
    } catch (BrokerException e) {
      return Map.of("error", e.getMessage());
    }
  }
}
