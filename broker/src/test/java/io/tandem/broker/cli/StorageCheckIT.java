package io.tandem.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.testing.Await;
import io.tandem.testing.JsonTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tandem storage-check} as an operator runs it (through {@code bin/tandem}), including the
 * commands of docs/storage-check.md: passes on local storage; fails, with the reason, when the two
 * "hosts" do not share the directory, when locks are host-local or unsupported, and when flushed
 * data is missing after a crash.
 */
class StorageCheckIT {
  private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
  private static final Duration RUN = Duration.ofMinutes(3);

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void kill() throws InterruptedException {
    for (Process p : processes) {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  private Process start(Path log, List<String> prefix, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(HOME.resolve("bin/tandem").toString());
    cmd.addAll(List.of(args));
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    processes.add(p);
    return p;
  }

  private Process start(Path log, String... args) throws IOException {
    return start(log, List.of(), args);
  }

  /** Runs to completion; returns the output after checking the exit status. */
  private String run(int expectedExit, String... args) throws Exception {
    Path log = Files.createTempFile(dir, "cmd", ".log");
    Process p = start(log, args);
    return finish(p, log, expectedExit);
  }

  private static String finish(Process p, Path log, int expectedExit) throws Exception {
    assertTrue(p.waitFor(RUN.toSeconds(), TimeUnit.SECONDS), "still running; log " + log);
    String out = Files.readString(log);
    assertEquals(expectedExit, p.exitValue(), out);
    return out;
  }

  private Path store(String name) throws IOException {
    return Files.createDirectories(dir.resolve(name));
  }

  @Test
  void shouldPassEveryCriterionOnLocalStorageWithItsEvidence() throws Exception {
    Path store = store("store");
    String out = run(0, "storage-check", store.toString(), "--quick");
    for (String line :
        List.of(
            "PASS shared directory: the peer",
            "PASS write order: 4 writer processes SIGKILLed at random points",
            "PASS synchronous write persistence: 10 rounds",
            "PASS distributed file locking: 2 processes contended 60 times",
            "PASS unique write ownership: the former owner (epoch 1) lost the lock while running;"
                + " the peer took it at epoch 2",
            "its send through the store failed with FENCED",
            "fdatasync latency: 200 appends of 4 KiB: p50 ",
            "sequential write: ",
            "lock acquire latency: 20 uncontended acquisitions: p50 ",
            "verdict: PASS: this storage met all four criteria")) {
      assertTrue(out.contains(line), line + " missing in:\n" + out);
    }
    try (Stream<Path> left = Files.list(store.resolve("tandem-storage-check"))) {
      assertEquals(List.of(), left.toList(), "the run cleans up after itself");
    }
  }

  @Test
  void shouldPrintOneJsonObjectForAutomation() throws Exception {
    String out = run(0, "storage-check", store("store").toString(), "--quick", "--json");
    String json = out.lines().filter(l -> l.startsWith("{")).findFirst().orElse("");
    JsonTree report = JsonTree.parse(json);
    List<JsonTree> criteria = report.list("criteria");
    assertEquals(5, criteria.size(), json);
    for (JsonTree c : criteria) {
      assertEquals("PASS", c.string("result"), json);
    }
    assertTrue(report.bool("passed"), json);
    assertTrue(
        criteria.stream().anyMatch(c -> c.get("details", "release_on_death_ms") instanceof List),
        json);
  }

  @Test
  void shouldFailWhenTheTwoHostsAreGivenDirectoriesOnDifferentStorage() throws Exception {
    Path mine = store("host-a-store");
    Path theirs = store("host-b-store");
    Path peerLog = dir.resolve("peer.log");
    Process peer =
        start(peerLog, "storage-check", "--peer", "--peer-timeout", "5", theirs.toString());
    String out =
        run(1, "storage-check", "--two-hosts", "--peer-timeout", "5", mine.toString(), "--quick");
    assertTrue(out.contains("FAIL shared directory: no peer answered in " + mine), out);
    assertTrue(out.contains("its directory is not the same storage as this one"), out);
    assertTrue(out.contains("FAIL unique write ownership: not run: no peer shares"), out);
    assertTrue(out.contains("verdict: FAIL: shared directory, write order,"), out);
    String peerOut = finish(peer, peerLog, 1);
    assertTrue(peerOut.contains("FAIL: no storage check started in " + theirs), peerOut);
  }

  /** The same path names another file system in the peer's mount namespace: a "second host". */
  @Test
  void shouldFailWhenTheSamePathIsOtherStorageInThePeersMountNamespace() throws Exception {
    assumeTrue(canUnshareMounts(), "needs root and unshare -m");
    Path path = store("shared");
    Path other = store("elsewhere");
    Path peerLog = dir.resolve("peer.log");
    Process peer =
        start(
            peerLog,
            List.of(
                "unshare",
                "-m",
                "--propagation",
                "private",
                "sh",
                "-c",
                "mount --bind \"$1\" \"$2\" && shift 2 && exec \"$@\"",
                "sh",
                other.toString(),
                path.toString()),
            "storage-check",
            "--peer",
            "--peer-timeout",
            "5",
            path.toString());
    String out =
        run(1, "storage-check", "--two-hosts", "--peer-timeout", "5", path.toString(), "--quick");
    assertTrue(out.contains("FAIL shared directory: no peer answered in " + path), out);
    String peerOut = finish(peer, peerLog, 1);
    assertTrue(peerOut.contains("FAIL: no storage check started in " + path), peerOut);
  }

  /** The counterpart: a peer in its own mount namespace that does see the same storage passes. */
  @Test
  void shouldPassWithAPeerStartedSeparatelyThatSharesTheStorage() throws Exception {
    assumeTrue(canUnshareMounts(), "needs root and unshare -m");
    Path path = store("shared");
    Path peerLog = dir.resolve("peer.log");
    Process peer =
        start(
            peerLog,
            List.of("unshare", "-m", "--propagation", "private"),
            "storage-check",
            "--peer",
            path.toString());
    String out = run(0, "storage-check", "--two-hosts", path.toString(), "--quick");
    assertTrue(out.contains("verdict: PASS"), out);
    assertTrue(out.contains("note: the peer runs on this same host"), out);
    String peerOut = finish(peer, peerLog, 0);
    assertTrue(peerOut.contains("done: the checker finished the run"), peerOut);
  }

  private static boolean canUnshareMounts() {
    try {
      Process p = new ProcessBuilder("unshare", "-m", "true").redirectErrorStream(true).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  void shouldFailLockingWhenEachHostOnlyLocksItsOwnFile() throws Exception {
    String out =
        run(
            1,
            "storage-check",
            store("store").toString(),
            "--quick",
            "--simulate-locks",
            "host-local");
    assertTrue(out.contains("FAIL distributed file locking: "), out);
    assertTrue(out.contains("epochs were granted twice: each side had a lock of its own"), out);
    assertTrue(out.contains("could both become primary"), out);
    assertTrue(out.contains("verdict: FAIL: distributed file locking; do not put"), out);
  }

  @Test
  void shouldFailLockingAndOwnershipWhenLocksAreNotSupported() throws Exception {
    String out =
        run(
            1,
            "storage-check",
            store("store").toString(),
            "--quick",
            "--simulate-locks",
            "unsupported");
    assertTrue(out.contains("FAIL distributed file locking: this host could not lock: "), out);
    assertTrue(out.contains("failed with ENOLCK (No locks available)"), out);
    assertTrue(out.contains("FAIL unique write ownership: could not be completed"), out);
    assertTrue(out.contains("PASS write order"), out);
  }

  @Test
  void shouldFindEveryAcknowledgedBlockAfterTheWriterDiesAndNoticeALostOne() throws Exception {
    Path store = store("store");
    Path log = dir.resolve("write.log");
    Process writer =
        start(log, "storage-check", "--phase", "write", "--seconds", "120", store.toString());
    Pattern ack = Pattern.compile("acknowledged (\\d+)");
    Await.until(
        "the write phase acknowledged 256 blocks (log " + log + ")",
        Duration.ofSeconds(60),
        () -> lastAcknowledged(log, ack) >= 256);
    writer.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    long printed = lastAcknowledged(log, ack);

    String out =
        run(
            0,
            "storage-check",
            "--phase",
            "verify",
            "--acknowledged",
            Long.toString(printed),
            store.toString());
    assertTrue(out.contains("PASS synchronous write persistence across a crash: all "), out);

    try (FileChannel ch =
        FileChannel.open(
            store.resolve("tandem-storage-check-persistence.dat"), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(4096), 100L * 4096);
    }
    out = run(1, "storage-check", "--phase", "verify", store.toString());
    assertTrue(
        out.contains("FAIL synchronous write persistence across a crash: block 100 is"), out);
    assertTrue(out.contains("acknowledged a flush it had not made durable"), out);
  }

  private static long lastAcknowledged(Path log, Pattern ack) {
    try {
      Matcher m = ack.matcher(Files.readString(log));
      long last = 0;
      while (m.find()) {
        last = Long.parseLong(m.group(1));
      }
      return last;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
