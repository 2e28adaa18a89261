package io.tandem.broker.cli;

/** Process exit codes that operators and cluster managers act on. */
public final class ExitCodes {
  /** Clean stop (including SIGTERM). */
  public static final int OK = 0;

  /** Failure at runtime (e.g. a listener could not be opened). */
  public static final int FAILURE = 1;

  /** The configuration is invalid: the log names file, line and reason. */
  public static final int CONFIG = 2;

  /** Another broker raised the store's fence; this one stopped writing. */
  public static final int FENCED = 3;

  /** {@code tandem store verify} found corrupt records before the tail of a journal. */
  public static final int STORE_CORRUPT = 4;

  /** Another process holds the store's lock, so this broker did not start. */
  public static final int STORE_LOCKED = 5;

  /** An admin subcommand could not reach the admin endpoint (nothing listens, or no answer). */
  public static final int NOT_REACHABLE = 6;

  /**
   * An admin subcommand reached a broker that does not serve clients (an FT backup, one that is
   * activating, stopping or fenced), so it cannot act on destinations.
   */
  public static final int NOT_PRIMARY = 7;

  /**
   * The admin endpoint refused a mutating call: it does not listen on loopback only (and has no
   * authentication yet).
   */
  public static final int REFUSED = 8;

  private ExitCodes() {}
}
