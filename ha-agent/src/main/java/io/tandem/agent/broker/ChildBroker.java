package io.tandem.agent.broker;

import io.tandem.agent.RunningBroker;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/* A broker child process. The tandem launcher execs java, so its pid is the broker's own. */
final class ChildBroker implements RunningBroker {
  private final Process process;

  ChildBroker(Process process) {
    this.process = process;
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public OptionalInt exitCode() {
    return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  @Override
  public void onExit(Runnable action) {
    process.onExit().thenRun(action);
  }

  @Override
  public void terminate() {
    process.destroy();
  }

  @Override
  public void kill() {
    process.destroyForcibly();
  }

  @Override
  public boolean awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }
}
