package io.tandem.broker.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** One line per event: time, level, logger, message; stack traces follow indented. */
final class LogFormat extends Formatter {
  /**
   * Loggers whose level is set here. java.util.logging holds loggers weakly, so a level set on a
   * logger nobody references is lost when it is collected; these stay referenced.
   */
  private static final java.util.List<Logger> TUNED =
      java.util.List.of(
          Logger.getLogger("io.netty"),
          Logger.getLogger("org.apache.qpid"),
          Logger.getLogger("org.apache.zookeeper"),
          Logger.getLogger("org.apache.curator"));

  /** Sends all logging to stderr in this format at {@code level}. */
  static void install(Level level) {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    ConsoleHandler console = new ConsoleHandler();
    console.setFormatter(new LogFormat());
    console.setLevel(level);
    root.addHandler(console);
    root.setLevel(level);
    // Netty and Qpid at INFO; ZooKeeper's and Curator's INFO lines (every connection attempt,
    // every session event) are noise next to the lock manager's own lease lines, as in ha-agent
    for (Logger l : TUNED) {
      boolean zk =
          l.getName().startsWith("org.apache.zookeeper")
              || l.getName().startsWith("org.apache.curator");
      l.setLevel(zk ? Level.WARNING : Level.INFO);
    }
  }

  @Override
  public String format(LogRecord r) {
    String logger = r.getLoggerName() == null ? "" : r.getLoggerName();
    int dot = logger.lastIndexOf('.');
    StringBuilder sb = new StringBuilder(128);
    sb.append(Instant.ofEpochMilli(r.getMillis()))
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
