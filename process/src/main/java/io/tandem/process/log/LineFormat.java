package io.tandem.process.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * The one log line format of every Tandem daemon: time (UTC, ISO-8601), level, the logger's simple
 * name, message; a stack trace follows indented. Operators and the cluster agents read these lines,
 * so the format does not change.
 */
public final class LineFormat extends Formatter {

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
