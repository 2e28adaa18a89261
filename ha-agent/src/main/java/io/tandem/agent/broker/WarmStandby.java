package io.tandem.agent.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/*
 * A broker JVM started with --standby: it has read its configuration and waits for one line on
 * the pipe to its standard input. Closing the pipe (or the agent's death, which closes it too)
 * makes it exit with status 10 at once; it never touched the store or a port.
 */
final class WarmStandby {
  private static final Duration EXIT_WAIT = Duration.ofSeconds(5);

  private final Process process;

  WarmStandby(Process process) {
    this.process = process;
  }

  Process process() {
    return process;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  int exitValue() {
    return process.exitValue();
  }

  /* Writes the activation; false if the pipe is broken (the standby died meanwhile). */
  boolean activate(long epoch) {
    OutputStream in = process.getOutputStream();
    try {
      in.write(("activate " + epoch + "\n").getBytes(StandardCharsets.US_ASCII));
      in.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /* End of input first, so that it exits on its own; SIGTERM, then SIGKILL, if it does not. */
  void stop() {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // a standby that is gone already closed its end
    }
    if (awaitExit()) {
      return;
    }
    process.destroy();
    if (!awaitExit()) {
      process.destroyForcibly();
    }
  }

  private boolean awaitExit() {
    try {
      return process.waitFor(EXIT_WAIT.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }
}
