package io.tandem.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Commands an operator would type, run with a deadline, their output kept in a log. */
final class Shell {
  static final Path HOME = Path.of("..").toAbsolutePath().normalize();
  static final String VERSION = System.getProperty("tandem.version", "0.1.0-SNAPSHOT");
  static final Path TARGET = Path.of("target").toAbsolutePath();

  private Shell() {}

  record Result(int exit, String output) {
    @Override
    public String toString() {
      return "exit " + exit + ":\n" + output;
    }
  }

  /** A fresh, empty directory under target/it for one test's files and logs. */
  static Path workDir(String name) throws IOException {
    Path dir = TARGET.resolve("it").resolve(name);
    if (Files.exists(dir)) {
      run(List.of("rm", "-rf", dir.toString()), Map.of(), Duration.ofSeconds(60), null);
    }
    return Files.createDirectories(dir);
  }

  /**
   * Runs {@code command} in {@code dir} (null: this directory) with {@code env} added; its output
   * is also appended to {@code log} (when not null).
   */
  static Result run(List<String> command, Map<String, String> env, Duration timeout, Path log)
      throws IOException {
    return runIn(null, command, env, timeout, log);
  }

  static Result runIn(
      Path dir, List<String> command, Map<String, String> env, Duration timeout, Path log)
      throws IOException {
    Path out = Files.createTempFile("dist-it", ".out");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      if (dir != null) {
        pb.directory(dir.toFile());
      }
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(command + " did not finish within " + timeout + "; log " + log);
      }
      String text = Files.readString(out);
      if (log != null) {
        Files.writeString(
            log,
            "$ " + String.join(" ", command) + "\n" + text + "[exit " + p.exitValue() + "]\n",
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
      return new Result(p.exitValue(), text);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** Runs {@code command} and fails, showing its output, unless it exits 0; its output. */
  static String ok(List<String> command, Map<String, String> env, Path log) throws IOException {
    Result r = run(command, env, Duration.ofSeconds(120), log);
    if (r.exit() != 0) {
      throw new AssertionError(String.join(" ", command) + ": " + r);
    }
    return r.output();
  }
}
