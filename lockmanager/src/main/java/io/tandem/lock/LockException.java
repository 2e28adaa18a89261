package io.tandem.lock;

import java.util.Objects;

/** The one exception this module throws; its {@link Category} says what went wrong. */
public final class LockException extends RuntimeException {

  /** What kind of failure, so that callers can decide without parsing messages. */
  public enum Category {
    /** The lock stayed held elsewhere until the timeout. */
    TIMEOUT,
    /** The acquiring thread was interrupted; its interrupt flag is set again. */
    INTERRUPTED,
    /** The lock instance was closed. */
    CLOSED,
    /** The instance already holds a lease or is already acquiring on another thread. */
    ILLEGAL_STATE,
    /** The platform or the store's file system cannot provide the lock at all. */
    UNSUPPORTED,
    /** A file operation failed. */
    IO,
    /** A stored epoch or holder record cannot be read as one; it is never guessed or reset. */
    CORRUPT,
    /** ZooKeeper could not be reached or refused an operation. */
    ZOOKEEPER,
    /**
     * ZooKeeper refused this client's identity: authentication failed, or an ACL denies it an
     * operation on the lock's znodes. Not retried, since waiting does not change it.
     */
    DENIED,
    /** The store's fence already holds a greater epoch; an older one never takes it back. */
    FENCED,
    /** A configuration value is invalid. */
    CONFIGURATION
  }

  private final Category category;

  /** Creates an exception of the given category. */
  public LockException(Category category, String message) {
    this(category, message, null);
  }

  /** Creates an exception of the given category with its cause. */
  public LockException(Category category, String message, Throwable cause) {
    super(message, cause);
    this.category = Objects.requireNonNull(category, "category");
  }

  /** What kind of failure this is. */
  public Category category() {
    return category;
  }
}
