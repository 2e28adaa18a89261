package io.tandem.broker.cli;

import io.tandem.process.exit.ExitStatus;

/**
 * The broker's exit codes, which operators and cluster managers act on: the shared {@link
 * ExitStatus} ones (0 a clean stop, including SIGTERM; 1 a failure at runtime, e.g. a listener
 * could not be opened; 2 an invalid configuration, the log naming file, line and reason) and the
 * broker's own from 3.
 */
public final class ExitCodes extends ExitStatus {
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

  /**
   * A store operation (a flush, a fence read, a segment's creation or deletion, a recovery read)
   * did not return within {@code store_io_timeout}: the broker stopped serving at once and exited
   * when the operation returned late or {@code store_io_exit_grace} passed. The log line {@code
   * STORE STALLED:} names the operation and for how long. Its file system does not answer on this
   * host; another host (the FT backup, the cluster's next node) may take over.
   */
  public static final int STORE_STALLED = 9;

  /**
   * A standby ({@code tandem broker --standby}) reached the end of its standard input before it was
   * told to activate: whoever started it (ha-agent) is gone, so it exits at once, having touched
   * neither the store nor a port.
   */
  public static final int STANDBY_ABANDONED = 10;

  private ExitCodes() {}
}
