package io.tandem.broker;

/**
 * The broker module's one unchecked exception. Its {@link Category} tells callers what kind of
 * failure it is, e.g. which AMQP error condition a client gets or which exit code the process uses.
 */
public final class BrokerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, as callers need to tell it apart. */
  public enum Category {
    /** A configuration file or value is unusable; the message names file, line and reason. */
    CONFIG,
    /** A destination or subscription does not exist and may not be created. */
    NOT_FOUND,
    /** A destination limit, memory limit or message size limit was reached. */
    RESOURCE_LIMIT,
    /** The request conflicts with current state (e.g. a durable subscription already in use). */
    ILLEGAL_STATE,
    /** Client input is invalid: a selector, a message encoding, an address. */
    INVALID_INPUT,
    /** The authenticated user lacks the permission the operation needs; the message names it. */
    UNAUTHORIZED,
    /** A transaction id is unknown (e.g. it was open on another broker before a failover). */
    UNKNOWN_TRANSACTION,
    /** The store is closed because the broker is stopping. */
    STORE_CLOSED,
    /** The store's file system is full; writes resume when space returns. */
    DISK_FULL,
    /** Another I/O failure of the store. */
    STORE_IO,
    /** The store holds records that cannot be read. */
    STORE_CORRUPT,
    /** Another broker raised the store's fence: this one must stop at once. */
    FENCED,
    /** Another process holds the store's lock. */
    STORE_LOCKED,
    /** A listener could not be opened. */
    NETWORK
  }

  private final Category category;

  /** Creates an exception. */
  public BrokerException(Category category, String message) {
    super(message);
    this.category = category;
  }

  /** Creates an exception with its cause. */
  public BrokerException(Category category, String message, Throwable cause) {
    super(message, cause);
    this.category = category;
  }

  /** What kind of failure this is. */
  public Category category() {
    return category;
  }
}
