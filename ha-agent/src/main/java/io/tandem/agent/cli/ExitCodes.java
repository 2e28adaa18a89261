package io.tandem.agent.cli;

import io.tandem.process.exit.ExitStatus;

/**
 * Exit statuses of {@code ha-agent}: the shared {@link ExitStatus} ones (0 done, and for {@code
 * status} that the agent runs and answered; 1 a runtime failure, the message saying which; 2 an
 * invalid {@code agent.conf}, the message naming file, line and reason) and the agent's own from 3.
 */
public final class ExitCodes extends ExitStatus {
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
