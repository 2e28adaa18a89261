package io.tandem.broker.storagecheck;

import io.tandem.broker.BrokerException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An {@link Agent} running in a JVM of its own. Its stdout lines are collected by a reader thread;
 * its stderr goes to a log file whose tail is quoted when something goes wrong.
 */
final class ChildProcess implements AutoCloseable {
  private static final String EOF = "\u0000eof";

  private final Process process;
  private final Path log;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();
  private final Thread reader;

  private ChildProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
    this.reader = new Thread(this::pump, "storage-check-child-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code Agent args...} with the classpath of this JVM; stderr to {@code log}. */
  static ChildProcess start(Path log, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Agent.class.getName());
    cmd.addAll(List.of(args));
    try {
      Process p =
          new ProcessBuilder(cmd)
              .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .start();
      return new ChildProcess(p, log);
    } catch (IOException e) {
      throw new BrokerException(
          BrokerException.Category.STORE_IO, "cannot start a child JVM: " + e.getMessage(), e);
    }
  }

  private void pump() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException e) {
      // the child died; EOF below tells the waiters
    }
    lines.add(EOF);
  }

  long pid() {
    return process.pid();
  }

  /** The next line starting with {@code prefix}; fails with the child's log after the timeout. */
  String awaitLine(String prefix, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null || EOF.equals(line)) {
          if (EOF.equals(line)) {
            lines.add(EOF);
          }
          throw new BrokerException(
              BrokerException.Category.STORE_IO,
              "child process "
                  + pid()
                  + (line == null ? " did not report '" + prefix + "' in " + timeout : " ended")
                  + "; its log: "
                  + logTail());
        }
        seen.add(line);
        if (line.startsWith(prefix)) {
          return line;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrokerException(BrokerException.Category.STORE_IO, "interrupted", e);
    }
  }

  /** SIGKILL, then waits for the process to be gone and its output to be read. */
  void kill() {
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(30));
  }

  /** Waits for the process to exit by itself and its output to be read; false after the timeout. */
  boolean awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return false;
      }
      reader.join(timeout.toMillis());
      lines.drainTo(seen);
      seen.remove(EOF);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  int exitValue() {
    return process.exitValue();
  }

  /** Every stdout line read so far. */
  List<String> lines() {
    return List.copyOf(seen);
  }

  String logTail() {
    try {
      String text = Files.exists(log) ? Files.readString(log) : "";
      return text.isBlank() ? "(empty)" : text.substring(Math.max(0, text.length() - 2000)).strip();
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  /** Kills the process if it still runs. */
  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
