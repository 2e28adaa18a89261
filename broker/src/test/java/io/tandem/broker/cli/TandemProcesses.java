package io.tandem.broker.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/tandem} commands started as an operator or a cluster agent starts them, each with its
 * output in a log file; {@link #close} kills whatever is still running.
 */
final class TandemProcesses implements AutoCloseable {
  static final Path HOME = Path.of("..").toAbsolutePath().normalize();

  private final Path workDir;
  private final List<Process> processes = new ArrayList<>();

  TandemProcesses(Path workDir) {
    this.workDir = workDir;
  }

  /** Starts {@code bin/tandem ARGS} in the working directory, output to {@code log}. */
  Process start(Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(HOME.resolve("bin/tandem").toString());
    cmd.addAll(List.of(args));
    Process p =
        new ProcessBuilder(cmd)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    processes.add(p);
    return p;
  }

  @Override
  public void close() {
    for (Process p : processes) {
      if (p.isAlive()) {
        try {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
