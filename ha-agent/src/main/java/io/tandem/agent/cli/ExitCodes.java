package io.tandem.agent.cli;

/** Exit statuses of {@code ha-agent}. */
public final class ExitCodes {
  /** Done; for {@code status}: the agent runs and answered. */
  public static final int OK = 0;

  /** A runtime failure; the message says which. */
  public static final int FAILURE = 1;

  /** {@code agent.conf} is invalid: the message names file, line and reason. */
  public static final int CONFIG = 2;

  /** No agent runs with this configuration (as LSB {@code status} reports "not running"). */
  public static final int NOT_RUNNING = 3;

  /**
   * The agent's control socket accepted the connection but the agent did not answer within the
   * timeout (it is stopped or hung); as LSB {@code status} reports "status unknown". For {@code
   * release} and {@code resume}, the agent may still carry the request out once it runs again.
   */
  public static final int NO_ANSWER = 4;

  private ExitCodes() {}
}
