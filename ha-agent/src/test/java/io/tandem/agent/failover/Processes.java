package io.tandem.agent.failover;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/* Signals to processes by pid, through kill(1). */
final class Processes {
  private Processes() {}

  // Sends SIG<name> (STOP, CONT, KILL, TERM) to pid; a process already gone is no error.
  static void signal(String name, long pid) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + name, Long.toString(pid))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!kill.waitFor(10, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
        throw new AssertionError("kill -" + name + " " + pid + " hung");
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run kill", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
