package io.tandem.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.testing.AdminHttp;
import io.tandem.testing.Await;
import io.tandem.testing.ChildProcess;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Installs tandem_VERSION_all.deb on this machine with dpkg, runs the packaged broker as the {@code
 * tandem} user on the packaged default configuration, exchanges a message with it, asks the
 * installed OCF agent for its meta-data and to validate, and purges the package again: whatever
 * happens, nothing of the package but the store is left. It needs root and dpkg, and skips (saying
 * why) without them, when a tandem package is already installed, or while the default
 * configuration's ports stay taken.
 */
class DebianPackageIT {
  private static final Path DEB =
      Shell.TARGET.resolve("tandem_" + Shell.VERSION.replace('-', '~') + "_all.deb");
  private static final Path VAR = Path.of("/var/lib/tandem");

  /** Serialises this test across builds on one machine: a machine has one package database. */
  private static final Path LOCK = Path.of("/tmp/tandem-dist-package-it.lock");

  private static final Duration WAIT = Duration.ofMinutes(5);

  @Test
  void shouldInstallServeAsTheTandemUserAndPurgeToTheStoreAlone() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "installing the package needs root; run as root (CI does) to test it");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg")), "dpkg is not installed here");
    assertTrue(Files.isRegularFile(DEB), DEB + " is built by mvn package");
    Path work = Shell.workDir("package");
    Path log = work.resolve("dpkg.log");
    try (FileChannel channel =
        FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      awaitLock(channel); // held until the channel closes
      Machine.cleanUpAfterAKilledRun(log);
      assumeFalse(
          Packages.installed(log),
          "a tandem package is already installed on this machine; the test leaves it alone");
      Machine before = Machine.record(log);
      Ports.awaitFree(Duration.ofMinutes(2), 5672, 9672);
      List<Path> contents = Packages.contents(DEB, log);
      List<Path> existedBefore = new ArrayList<>();
      for (Path p : contents) {
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
          existedBefore.add(p);
        }
      }
      try {
        installRunAndPurge(work, log);
        assertPurged(contents, existedBefore, log);
      } finally {
        before.restore(log);
      }
    }
  }

  /** Everything with the package installed; it is purged whatever happens. */
  private static void installRunAndPurge(Path work, Path log) throws Exception {
    Throwable failure = null;
    try {
      Packages.dpkg(log, "-i", DEB.toString());
      InstalledLayout.check(log);
      PackagedBroker.serveAndExchange(work);
      InstalledLayout.checkOcfAgent(log);
      keepsAnEditedConffileOnReinstall(log);
    } catch (Exception | AssertionError e) {
      failure = e;
      throw e;
    } finally {
      try {
        Packages.dpkg(log, "-P", "tandem");
      } catch (IOException | AssertionError e) {
        if (failure == null) {
          throw e;
        }
        failure.addSuppressed(e);
      }
    }
  }

  /** An operator's edit of /etc/tandem survives installing the package over itself. */
  private static void keepsAnEditedConffileOnReinstall(Path log) throws IOException {
    Path queues = Path.of("/etc/tandem/queues.conf");
    String edited = Files.readString(queues) + "orders  failsafe\n";
    Files.writeString(queues, edited);
    Packages.dpkg(log, "--force-confold", "-i", DEB.toString());
    assertEquals(edited, Files.readString(queues), "dpkg keeps the edited conffile");
    assertTrue(Packages.userExists(log), "the tandem user is still there after the upgrade");
  }

  /** Every path the package brought is gone but the store; the store is still there. */
  private static void assertPurged(List<Path> contents, List<Path> existedBefore, Path log)
      throws IOException {
    assertTrue(!Packages.installed(log), "dpkg -P leaves the package unknown to dpkg");
    List<Path> left = new ArrayList<>();
    for (Path p : contents) {
      if (!existedBefore.contains(p)
          && !p.startsWith(VAR)
          && Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        left.add(p);
      }
    }
    assertEquals(List.of(), left, "files of the package left after dpkg -P; log " + log);
    assertTrue(
        Files.isRegularFile(VAR.resolve("store/fence")),
        "the store stays after dpkg -P, with the messages in it");
  }

  private static void awaitLock(FileChannel channel) throws IOException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return;
      }
      assumeTrue(
          System.nanoTime() < deadline,
          "another build's package test held " + LOCK + " for " + WAIT + "; skipped");
      Await.pause(Duration.ofMillis(200));
    }
  }

  /** {@code command} run as the tandem user, in place of this process (no parent in between). */
  static List<String> asTandem(String... command) {
    List<String> full =
        new ArrayList<>(
            List.of("setpriv", "--reuid", "tandem", "--regid", "tandem", "--init-groups", "--"));
    full.addAll(List.of(command));
    return full;
  }

  /** Runs the installed broker and exchanges a message with it. */
  static final class PackagedBroker {
    private PackagedBroker() {}

    static void serveAndExchange(Path work) throws Exception {
      String checked =
          Shell.ok(
              asTandem("/usr/bin/tandem", "config", "check"), Map.of(), work.resolve("check.log"));
      assertTrue(
          checked.contains(
              "store /var/lib/tandem/store: a directory user tandem can read and write"),
          "tandem config check, as tandem, on /etc/tandem/tandem.conf: " + checked);
      // setpriv executes the launcher in its own process, which executes java: the process id
      // this test started is the broker's, and it is stopped by that id (runuser would stay a
      // parent in between).
      ProcessBuilder pb =
          new ProcessBuilder(
                  asTandem("/usr/bin/tandem", "broker", "--config", "/etc/tandem/tandem.conf"))
              .directory(VAR.toFile());
      try (ChildProcess broker = ChildProcess.start(pb, work.resolve("broker.log"))) {
        Await.until(
            () -> "the packaged broker to answer /health with 200; log " + broker.log(),
            Duration.ofSeconds(90),
            () -> AdminHttp.status(9672, "/health") == 200 || !broker.isAlive());
        assertTrue(broker.isAlive(), () -> "the packaged broker exited: " + broker.logText());
        String body = "installed " + System.nanoTime();
        assertEquals(body, Messages.roundTrip("amqp://127.0.0.1:5672", "dist.check", body));
        assertEquals(
            "tandem",
            Files.getOwner(VAR.resolve("store/fence"), LinkOption.NOFOLLOW_LINKS).getName(),
            "the broker writes the store as the tandem user");
        assertEquals(0, broker.stop(Duration.ofSeconds(60)), broker.logText());
      }
    }
  }
}
