package io.tandem.lock;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/*
 * A LockChild in its own JVM. Its stdout lines are queued for the test; its stderr goes to
 * a log file that stays after a failure. destroy kills it through its Process handle.
 */
final class ChildJvm {

  private final Process process;
  private final Path log;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private ChildJvm(Process process, Path log) {
    this.process = process;
    this.log = log;
    Thread reader = new Thread(this::readLines, "child-" + process.pid() + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  static ChildJvm start(Path logDir, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.addAll(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    String logging = System.getProperty("java.util.logging.config.file");
    if (logging != null) {
      command.add("-Djava.util.logging.config.file=" + logging);
    }
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), LockChild.class.getName()));
    command.addAll(List.of(args));
    Path log = logDir.resolve("child-" + System.nanoTime() + ".log");
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.to(log.toFile())).start();
    return new ChildJvm(process, log);
  }

  long pid() {
    return process.pid();
  }

  // The next stdout line, failing with the child's log if none comes in time.
  String nextLine(Duration timeout) throws InterruptedException {
    String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null) {
      fail("no output from child " + pid() + " within " + timeout + "; its log: " + log);
    }
    return line;
  }

  // SIGKILL, then wait until the kernel has reaped it.
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      fail("child " + pid() + " did not die");
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      fail("child " + pid() + " did not exit within " + timeout + "; its log: " + log);
    }
    return process.exitValue();
  }

  // Kills the child if it still runs (a stopped one too) and reaps it.
  void destroy() {
    if (process.isAlive()) {
      Signals.resume(process.pid());
      process.destroyForcibly();
    }
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void readLines() {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException e) {
      // the child is gone; the test notices through its missing output
    }
  }

  private static String javaExecutable() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
