package io.tandem.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A process a test started (a broker, an agent, a lock holder in its own JVM), its output appended
 * to a log file that stays for a failed test. It is signalled and stopped by the process id it was
 * started with, never by name; {@link #close} kills it whatever happened (a stopped one too).
 */
public final class ChildProcess implements AutoCloseable {
  private static final Duration REAP = Duration.ofSeconds(30);

  private final Process process;
  private final Path log;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private ChildProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** The java executable of this JVM, for a child JVM of the same version. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** This test's class path: a child JVM then runs this build's classes. */
  public static String testClassPath() {
    return System.getProperty("java.class.path");
  }

  /** A class path of {@code classes} and every jar in {@code libDir} (a module's target/lib). */
  public static String classPath(Path classes, Path libDir) throws IOException {
    List<String> entries = new ArrayList<>(List.of(classes.toString()));
    try (Stream<Path> jars = Files.list(libDir)) {
      jars.filter(p -> p.toString().endsWith(".jar"))
          .sorted()
          .forEach(p -> entries.add(p.toString()));
    }
    return String.join(java.io.File.pathSeparator, entries);
  }

  /** {@code java JVM_ARGS -cp CLASS_PATH MAIN_CLASS ARGS}. */
  public static List<String> javaCommand(
      List<String> jvmArgs, String classPath, String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(jvmArgs);
    command.addAll(List.of("-cp", classPath, mainClass));
    command.addAll(args);
    return command;
  }

  /** Starts {@code command} with its output and errors appended to {@code log}. */
  public static ChildProcess start(List<String> command, Path log) throws IOException {
    return start(new ProcessBuilder(command), log);
  }

  /**
   * Starts {@code builder} (its environment and directory as set) with its output and errors
   * appended to {@code log}, after a {@code ---- start TIME} line.
   */
  public static ChildProcess start(ProcessBuilder builder, Path log) throws IOException {
    Files.writeString(
        log,
        "---- start " + Instant.now() + "\n",
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    builder
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return new ChildProcess(builder.start(), log);
  }

  /**
   * Starts {@code command} with its errors appended to {@code log} and its output read line by line
   * for {@link #nextLine}: for a child that reports to the test on its standard output.
   */
  public static ChildProcess startReadingLines(List<String> command, Path log) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    ChildProcess child = new ChildProcess(builder.start(), log);
    Thread reader = new Thread(child::readLines, "child-" + child.pid() + "-stdout");
    reader.setDaemon(true);
    reader.start();
    return child;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path log() {
    return log;
  }

  /** The log's text so far, or empty if it cannot be read. */
  public String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * The next line of a {@link #startReadingLines} child's output.
   *
   * @throws AssertionError naming the log if none comes within {@code timeout}
   */
  public String nextLine(Duration timeout) throws InterruptedException {
    String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null) {
      throw new AssertionError(
          "no output from child " + pid() + " within " + timeout + "; its log: " + log);
    }
    return line;
  }

  /** Sends {@code signal} (a name: STOP, CONT, TERM, KILL) to this process by its pid. */
  public void signal(String signal) throws IOException, InterruptedException {
    signal(signal, pid());
  }

  /**
   * Sends {@code signal} to {@code pid} with kill(1), for a process this test learnt the pid of.
   */
  public static void signal(String signal, long pid) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill -" + signal + " " + pid + " failed");
    }
  }

  /** SIGKILL, and waits until it is reaped. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(REAP.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("process " + pid() + " survived SIGKILL; log " + log);
    }
  }

  /** SIGTERM, and waits up to {@code timeout} for it to end; its exit status. */
  public int stop(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("process " + pid() + " did not stop on SIGTERM; log " + log);
    }
    return process.exitValue();
  }

  /** Waits up to {@code timeout} for it to end by itself; its exit status. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("process " + pid() + " still running; log " + log);
    }
    return process.exitValue();
  }

  /** Its exit status once it ended, -1 while it runs. */
  public int exitValue() {
    return process.isAlive() ? -1 : process.exitValue();
  }

  /**
   * Kills it if it still runs (continuing a stopped one, so that SIGKILL is reaped) and reaps it.
   */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroyForcibly();
    try {
      signal("CONT");
    } catch (IOException | AssertionError e) {
      // gone already
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      process.waitFor(REAP.toMillis(), TimeUnit.MILLISECONDS);
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
}
