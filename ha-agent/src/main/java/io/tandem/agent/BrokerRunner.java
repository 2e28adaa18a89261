package io.tandem.agent;

/** Starts the broker in {@code ha} mode, fences its store and asks its health. */
public interface BrokerRunner {

  /**
   * Writes {@code epoch} to the store's fence durably; if the fence already holds more, raises it
   * past that instead (the fence never goes down).
   *
   * @return the epoch the fence now holds, which the broker must be started with
   * @throws AgentException {@code BROKER} if the fence could not be written
   */
  long fence(long epoch);

  /**
   * Starts a broker in {@code ha} mode with {@code epoch}.
   *
   * @throws AgentException {@code BROKER} if the process could not be started
   */
  RunningBroker start(long epoch);

  /**
   * Has a broker JVM started and waiting for the next {@link #start}, if this runner keeps one
   * ({@code standby = warm}); starts one if none waits or the last one died. Never touches the
   * store.
   *
   * @throws AgentException {@code BROKER} if the process could not be started
   */
  default void standBy() {}

  /** Stops the waiting standby broker, if one waits; safe to repeat. */
  default void stopStandby() {}

  /** The status code of {@code GET /health}, or -1 if the broker did not answer in time. */
  int health();

  /**
   * Stops a broker left running by an earlier agent process on this host, if there is one.
   *
   * @return what was found and done, for the log, or an empty string if nothing ran
   */
  String stopOrphan();
}
