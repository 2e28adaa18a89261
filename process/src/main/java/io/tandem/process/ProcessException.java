package io.tandem.process;

/**
 * The process module's one unchecked exception. A daemon turns it into its own exception type at
 * the boundary where it calls into this module, keeping the message (which already names file, line
 * and reason).
 */
public final class ProcessException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, as callers need to tell it apart. */
  public enum Category {
    /** A configuration file or value is unusable; the message names file, line and reason. */
    CONFIG,
    /** A file or directory could not be read, written or removed. */
    IO
  }

  private final Category category;

  /** Creates an exception. */
  public ProcessException(Category category, String message) {
    super(message);
    this.category = category;
  }

  /** Creates an exception with its cause. */
  public ProcessException(Category category, String message, Throwable cause) {
    super(message, cause);
    this.category = category;
  }

  /** What kind of failure this is. */
  public Category category() {
    return category;
  }
}
