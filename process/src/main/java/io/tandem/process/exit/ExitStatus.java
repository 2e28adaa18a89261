package io.tandem.process.exit;

/**
 * The exit-status contract every Tandem daemon and CLI keeps, so that a supervisor (the FT peer,
 * ha-agent, Pacemaker, VCS, a script) reads them alike: 0 done, 1 a failure at runtime, 2 an
 * invalid configuration (the message names file, line and reason). Statuses from {@link #FIRST_OWN}
 * up are each daemon's own; each declares them in a subclass of this one (the broker's {@code
 * io.tandem.broker.cli.ExitCodes}, ha-agent's {@code io.tandem.agent.cli.ExitCodes}) and documents
 * them, and never gives a shared status another meaning.
 */
public class ExitStatus {
  /** Done: a clean stop (including SIGTERM), or a command that did what it was asked. */
  public static final int OK = 0;

  /** A failure at runtime; the message or the log says which. */
  public static final int FAILURE = 1;

  /** The configuration is invalid: the message names file, line and reason. */
  public static final int CONFIG = 2;

  /** The first status a daemon may give a meaning of its own. */
  public static final int FIRST_OWN = 3;

  /** For the daemons' own lists of statuses, which extend this one. */
  protected ExitStatus() {}
}
