package io.tandem.bench;

/** The bench module's one unchecked exception. */
public final class BenchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, which decides how a run reports it. */
  public enum Category {
    /** The broker cannot run this scenario in this build; reported as such, not as a figure. */
    UNAVAILABLE,
    /** Something did not happen within its time limit. */
    TIMEOUT,
    /** A broker or client failed. */
    FAILED
  }

  private final Category category;

  public BenchException(Category category, String message) {
    super(message);
    this.category = category;
  }

  public BenchException(Category category, String message, Throwable cause) {
    super(message, cause);
    this.category = category;
  }

  public Category category() {
    return category;
  }
}
