package io.tandem.agent.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One line per event on stderr (time, level, logger, message), as the broker logs; and a {@link
 * LogManager} that keeps logging while the agent's shutdown hook stops the broker.
 */
public final class AgentLogging extends LogManager {
  private static volatile AgentLogging instance;
  // Held so the JDK cannot collect these loggers and forget their levels.
  private static Logger[] quiet = {};

  /** Created by the JDK when {@code java.util.logging.manager} names this class. */
  public AgentLogging() {
    instance = this;
  }

  @Override
  public void reset() {
    // The JDK resets from its own shutdown hook; keep logging until the agent is down.
  }

  static void resetFinally() {
    AgentLogging m = instance;
    if (m != null) {
      m.doReset();
    }
  }

  private void doReset() {
    super.reset();
  }

  static void install(Level level) {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    ConsoleHandler console = new ConsoleHandler();
    console.setFormatter(new LineFormat());
    console.setLevel(level);
    root.addHandler(console);
    root.setLevel(level);
    quiet =
        new Logger[] {
          Logger.getLogger("org.apache.zookeeper"), Logger.getLogger("org.apache.curator")
        };
    for (Logger logger : quiet) {
      logger.setLevel(Level.WARNING);
    }
  }

  private static final class LineFormat extends Formatter {
    @Override
    public String format(LogRecord r) {
      String logger = r.getLoggerName() == null ? "" : r.getLoggerName();
      int dot = logger.lastIndexOf('.');
      StringBuilder sb =
          new StringBuilder(128)
              .append(Instant.ofEpochMilli(r.getMillis()))
              .append(' ')
              .append(String.format("%-7s", r.getLevel().getName()))
              .append(' ')
              .append(dot >= 0 ? logger.substring(dot + 1) : logger)
              .append(": ")
              .append(formatMessage(r))
              .append(System.lineSeparator());
      if (r.getThrown() != null) {
        StringWriter sw = new StringWriter();
        r.getThrown().printStackTrace(new PrintWriter(sw));
        sb.append(sw);
      }
      return sb.toString();
    }
  }
}
