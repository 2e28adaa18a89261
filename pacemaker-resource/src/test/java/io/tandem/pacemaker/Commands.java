package io.tandem.pacemaker;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real tools the agent is tested with, and waits with deadlines. */
final class Commands {
  /** The checkout: bin/tandem, libexec/, docs/. */
  static final Path HOME = Path.of("..").toAbsolutePath().normalize();

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Commands() {}

  /** A finished command: its exit status and its output (stdout and stderr together). */
  record Result(int exit, String output) {
    @Override
    public String toString() {
      return "exit " + exit + ":\n" + output;
    }
  }

  /**
   * Runs {@code command} with {@code env} added to this process's environment; its output is also
   * appended to {@code log}, which is kept for failures.
   */
  static Result run(List<String> command, Map<String, String> env, Duration timeout, Path log)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(log.getParent(), "cmd", ".out");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(command + " did not finish within " + timeout + "; log " + log);
    }
    String text = Files.readString(out);
    Files.delete(out);
    Files.writeString(
        log,
        "$ " + String.join(" ", command) + "\n" + text + "[exit " + p.exitValue() + "]\n",
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    return new Result(p.exitValue(), text);
  }

  /** Fails with an installation hint when a tool the tests need is missing. */
  static void requireTool(String tool, String debianPackage) {
    for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return;
      }
    }
    throw new AssertionError(
        tool
            + " is not installed; these tests run the real cluster tools: run .ci/run, or"
            + " apt-get install "
            + debianPackage);
  }

  /** The cluster tools need root (mounts, /usr/lib/ocf, corosync). */
  static void requireRoot() {
    String user = System.getProperty("user.name");
    if (!"root".equals(user)) {
      throw new AssertionError(
          "these tests drive Pacemaker, mounts and loop devices as root;" + " they run as " + user);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The HTTP status of GET url, or -1 if nothing answers. */
  static int httpStatus(String url) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** How often a wait re-runs its condition: each check runs a command (crm_mon, the agent). */
  static final Duration POLL = Duration.ofMillis(100);

  /** A fresh directory for one test's files under target/, kept after the run for diagnosis. */
  static Path workDir(String name) throws IOException {
    Path dir = Path.of("target", "it", name).toAbsolutePath();
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return Files.createDirectories(dir);
  }

  /** Kills, by process id, every process whose command line mentions {@code marker}. */
  static void killProcessesMentioning(String marker) {
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .filter(p -> p.pid() != ProcessHandle.current().pid())
        .forEach(ProcessHandle::destroyForcibly);
  }
}
