package io.tandem.broker.config;

import java.time.Duration;

/**
 * Bounds on what one client connection may hold, so that a hostile or broken client can use up
 * neither the broker's memory nor its connection slots.
 *
 * @param handshakeTimeout how long a socket may take to finish the protocol header and SASL (or the
 *     peer's HELLO) before it is closed ({@code handshake_timeout})
 * @param maxSessions sessions open at once on one connection ({@code max_sessions_per_connection})
 * @param maxLinks links (producers and consumers) open at once on one connection ({@code
 *     max_links_per_connection})
 * @param maxTransactions transactions open at once on one connection ({@code
 *     max_txns_per_connection})
 * @param maxTxnSize bytes of messages one transaction may send before it fails ({@code
 *     max_txn_size})
 */
public record ClientLimits(
    Duration handshakeTimeout,
    int maxSessions,
    int maxLinks,
    int maxTransactions,
    long maxTxnSize) {

  /** Default {@code handshake_timeout}. */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  /** Default {@code max_sessions_per_connection}. */
  public static final int DEFAULT_MAX_SESSIONS = 1024;

  /** Default {@code max_links_per_connection}. */
  public static final int DEFAULT_MAX_LINKS = 4096;

  /** Default {@code max_txns_per_connection}. */
  public static final int DEFAULT_MAX_TRANSACTIONS = 256;

  /** Default {@code max_txn_size}. */
  public static final long DEFAULT_MAX_TXN_SIZE = 256L * 1024 * 1024;

  /** The defaults, as a {@code tandem.conf} without these keys gets them. */
  public static ClientLimits defaults() {
    return new ClientLimits(
        DEFAULT_HANDSHAKE_TIMEOUT,
        DEFAULT_MAX_SESSIONS,
        DEFAULT_MAX_LINKS,
        DEFAULT_MAX_TRANSACTIONS,
        DEFAULT_MAX_TXN_SIZE);
  }
}
