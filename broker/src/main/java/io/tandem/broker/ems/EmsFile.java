package io.tandem.broker.ems;

import io.tandem.broker.BrokerException;
import io.tandem.process.ProcessException;
import io.tandem.process.config.ConfigFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of an EMS configuration file with their comments removed. A {@code #} starts a comment
 * at the start of a line or after white space, outside double quotes, as in Tandem's security
 * files: an EMS value rarely holds {@code #}, and a password that does is then reported rather than
 * cut short.
 */
final class EmsFile {
  /** One line that holds more than a comment. */
  record Line(Path file, int number, String text) {
    Unmapped unmapped(String reason) {
      return new Unmapped(file, number, reason);
    }
  }

  private EmsFile() {}

  /** The file's lines; an unreadable file or one that is not UTF-8 is an error naming it. */
  static List<Line> read(Path file) {
    List<String> raw;
    try {
      raw = ConfigFile.readRaw(file);
    } catch (ProcessException e) {
      throw new BrokerException(BrokerException.Category.CONFIG, e.getMessage(), e);
    }
    List<Line> lines = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      String text = stripComment(raw.get(i)).strip();
      if (!text.isEmpty()) {
        lines.add(new Line(file, i + 1, text));
      }
    }
    return lines;
  }

  static String stripComment(String line) {
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '#' && !quoted && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  /**
   * The reason a value check of the shared reader gave, without its {@code file:line:} prefix, or
   * null when {@code check} passed.
   */
  static String problem(Runnable check) {
    try {
      check.run();
      return null;
    } catch (ProcessException | BrokerException e) {
      String m = e.getMessage();
      int at = m.indexOf(": ");
      return at < 0 ? m : m.substring(at + 2);
    }
  }

  /** A reason a user or group name cannot be written in Tandem's files, or null. */
  static String nameProblem(String what, String name) {
    if (name.isEmpty()) {
      return what + " name is empty";
    }
    if (name.length() > 255) {
      return what + " name is longer than 255 characters";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c) || ":#\"".indexOf(c) >= 0) {
        return what
            + " name '"
            + name
            + "' holds white space, a control character, ':', '#' or '\"'";
      }
    }
    return null;
  }
}
