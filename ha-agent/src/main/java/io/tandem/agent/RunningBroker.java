package io.tandem.agent;

import java.time.Duration;
import java.util.OptionalInt;

/** One broker child process. */
public interface RunningBroker {

  /** Its process id. */
  long pid();

  /** Its exit status, once it has exited. */
  OptionalInt exitCode();

  /** Calls {@code action} once the process has exited (at once if it already has). */
  void onExit(Runnable action);

  /** Asks it to stop cleanly (SIGTERM); returns at once. */
  void terminate();

  /** Ends it at once (SIGKILL); returns at once. */
  void kill();

  /** Waits up to {@code timeout} for it to exit; whether it has. */
  boolean awaitExit(Duration timeout);
}
