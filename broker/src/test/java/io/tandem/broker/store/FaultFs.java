package io.tandem.broker.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.Await;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The fault-injecting file system of {@code src/test/python/faultfs.py} mounted for one test: a
 * passthrough over a backing directory that can hang every operation, fail chosen operations with
 * an errno, behave as a full disk, or lose every write not yet fsynced (a power cut). It is driven
 * through a Unix socket outside the mount, so the broker under test cannot touch the controls.
 * {@link #close} releases a hang and unmounts, also after a failed test; the file system's log
 * stays next to the broker's.
 */
final class FaultFs implements AutoCloseable {
  private static final Path SCRIPT = Path.of("src/test/python/faultfs.py").toAbsolutePath();
  private static final Duration MOUNT_TIMEOUT = Duration.ofSeconds(20);

  final Path backing;
  final Path mountpoint;
  final Path log;
  private final Path control;
  private final Process process;

  private FaultFs(Path backing, Path mountpoint, Path log, Path control, Process process) {
    this.backing = backing;
    this.mountpoint = mountpoint;
    this.log = log;
    this.control = control;
    this.process = process;
  }

  /**
   * Skips the test where the kernel has no FUSE device; where it has one, the tools must be there
   * (CI installs them), so their absence fails rather than skips.
   */
  static void assumeFuse() {
    Assumptions.assumeTrue(
        Files.exists(Path.of("/dev/fuse")), "no /dev/fuse on this machine: fault-FS tests skipped");
    assertTrue(
        run(List.of("/usr/bin/python3", "-c", "import fusepy")) == 0,
        "/dev/fuse exists but python3-fusepy is missing (.ci/run installs it)");
    assertTrue(
        run(List.of("fusermount3", "-V")) == 0,
        "/dev/fuse exists but fusermount3 is missing (package fuse3)");
  }

  /** Mounts {@code backing} at {@code mountpoint} (both created if missing); log at {@code log}. */
  static FaultFs mount(Path backing, Path mountpoint, Path log) throws IOException {
    Files.createDirectories(backing);
    Files.createDirectories(mountpoint);
    // Unix socket paths are short (108 bytes): the socket lives in its own temporary directory.
    Path control = Files.createTempDirectory("faultfs").resolve("control");
    Process p =
        new ProcessBuilder(
                "/usr/bin/python3",
                SCRIPT.toString(),
                backing.toAbsolutePath().toString(),
                mountpoint.toAbsolutePath().toString(),
                "--control",
                control.toString(),
                "--log",
                log.toAbsolutePath().toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    FaultFs fs = new FaultFs(backing, mountpoint.toAbsolutePath(), log, control, p);
    try {
      fs.awaitMounted();
    } catch (RuntimeException e) {
      fs.close();
      throw e;
    }
    return fs;
  }

  private void awaitMounted() {
    Await.until(
        "faultfs mounted at " + mountpoint + "; log: " + log,
        MOUNT_TIMEOUT,
        () -> {
          if (!process.isAlive()) {
            throw new AssertionError("faultfs exited with " + process.exitValue() + "; " + log);
          }
          return mounted() && Files.exists(control);
        });
    send("ping");
  }

  /** Whether the kernel lists a faultfs mount at the mount point. */
  boolean mounted() {
    try {
      String want = " " + mountpoint + " ";
      return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
          .anyMatch(l -> l.contains(want) && l.contains("fuse.faultfs"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** From now on every operation blocks until {@link #release}. */
  void hang() {
    send("hang");
  }

  /** Lets the blocked operations go on; new ones run at once. */
  void release() {
    send("release");
  }

  /** Every later call of each of {@code ops} (comma-separated) fails with {@code errno}. */
  void fail(String ops, String errno) {
    send("fail " + ops + " " + errno);
  }

  /** The next {@code count} calls of each of {@code ops} fail with {@code errno}. */
  void fail(String ops, String errno, int count) {
    send("fail " + ops + " " + errno + " " + count);
  }

  /** A write that would make a file longer fails with ENOSPC while {@code full}. */
  void full(boolean full) {
    send("full " + (full ? "on" : "off"));
  }

  /** No more failures and no full disk. */
  void clear() {
    send("clear");
  }

  /** Drops every write not yet fsynced; every later operation fails with EIO. */
  void powerCut() {
    send("cut");
  }

  /** Cuts the power right after the next {@code n} calls of {@code op} have succeeded. */
  void powerCutAfter(String op, int n) {
    send("cutafter " + op + " " + n);
  }

  /**
   * The counters: {@code hung} (operations blocked now), {@code cut}, {@code ops.OP} (successful
   * calls of OP, e.g. {@code ops.fsync}, {@code ops.fdatasync}) and {@code errors.OP}.
   */
  Map<String, Long> stats() {
    Map<String, Long> stats = new HashMap<>();
    for (String pair : send("stats").split(" ")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        stats.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
      }
    }
    return stats;
  }

  long stat(String name) {
    return stats().getOrDefault(name, 0L);
  }

  /** Waits until counter {@code name} reaches {@code n}. */
  void await(String name, long n, Duration timeout) {
    Await.until(name + " >= " + n + "; log: " + log, timeout, () -> stat(name) >= n);
  }

  private String send(String command) {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(control));
      ch.write(StandardCharsets.UTF_8.encode(command + "\n"));
      BufferedReader in =
          new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), "UTF-8"));
      String answer = in.readLine();
      if (answer == null || !answer.startsWith("ok")) {
        throw new AssertionError("faultfs refused '" + command + "': " + answer + "; " + log);
      }
      return answer.substring(2).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("faultfs control " + control + "; log: " + log, e);
    }
  }

  /**
   * Releases any hang, unmounts (lazily if something still holds the mount) and waits for the file
   * system's process. Processes writing to the mount should be gone first; a plain unmount writes
   * the unsynced overlay back, as the kernel writes back its page cache, unless it was cut.
   */
  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        send("release");
      } catch (RuntimeException e) {
        // the control thread is gone with a dying process; unmount anyway
      }
    }
    if (mounted() && run(List.of("fusermount3", "-u", mountpoint.toString())) != 0) {
      run(List.of("fusermount3", "-uz", mountpoint.toString()));
    }
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (mounted()) {
      run(List.of("fusermount3", "-uz", mountpoint.toString()));
    }
    try {
      Files.deleteIfExists(control);
      Files.deleteIfExists(control.getParent());
    } catch (IOException e) {
      // a leftover empty directory in /tmp is harmless
    }
  }

  private static int run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
