package io.tandem.broker.security;

import io.tandem.broker.BrokerException;
import io.tandem.broker.config.ConfigLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads users.conf, groups.conf and acl.conf into numbered lines. A {@code #} starts a comment only
 * at the start of a line or after white space, outside quotes; anywhere else it is kept, so that a
 * password with a {@code #} is refused by name rather than cut short.
 */
final class SecurityFiles {
  /** One line with text left after its comment. */
  record Line(Path file, int number, String text) {
    BrokerException error(String reason) {
      return SecurityFiles.error(file, number, reason);
    }
  }

  private SecurityFiles() {}

  static List<Line> read(Path file) {
    Path f = file.toAbsolutePath().normalize();
    List<String> raw = ConfigLoader.lines(f);
    List<Line> lines = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      String text = stripComment(raw.get(i)).strip();
      if (!text.isEmpty()) {
        lines.add(new Line(f, i + 1, text));
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

  static BrokerException error(Path file, int line, String reason) {
    return new BrokerException(BrokerException.Category.CONFIG, file + ":" + line + ": " + reason);
  }

  /** A reason a user or group name is unusable, or {@code null}. */
  static String nameProblem(String what, String name) {
    if (name.isEmpty()) {
      return what + " name is empty";
    }
    if (name.length() > 255) {
      return what + " name is longer than 255 characters";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isWhitespace(c)
          || Character.isISOControl(c)
          || c == ':'
          || c == '#'
          || c == '"') {
        return what
            + " name '"
            + name
            + "' contains white space, a control character, ':', '#' or '\"'";
      }
    }
    return null;
  }
}
