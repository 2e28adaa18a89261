package io.tandem.agent;

import java.util.Objects;

/** The one exception the agent throws; its {@link Category} says what went wrong. */
public final class AgentException extends RuntimeException {

  /** What kind of failure, so that callers can decide without parsing messages. */
  public enum Category {
    /** The agent's configuration is invalid; the message names file, line and reason. */
    CONFIG,
    /** ZooKeeper could not be reached or refused an operation. */
    ZOOKEEPER,
    /** An operator's command (mount, unmount, fence) failed or timed out. */
    COMMAND,
    /** The broker could not be started, fenced or stopped. */
    BROKER,
    /** The control socket of a running agent could not be reached or answered badly. */
    CONTROL,
    /** A running agent accepted a control connection but did not answer in time. */
    CONTROL_TIMEOUT,
    /** A file operation failed. */
    IO,
    /** The agent's state was asked to make a move its table does not have: a programming error. */
    STATE
  }

  private final Category category;

  /** Creates an exception of the given category. */
  public AgentException(Category category, String message) {
    this(category, message, null);
  }

  /** Creates an exception of the given category with its cause. */
  public AgentException(Category category, String message, Throwable cause) {
    super(message, cause);
    this.category = Objects.requireNonNull(category, "category");
  }

  /** What kind of failure this is. */
  public Category category() {
    return category;
  }
}
