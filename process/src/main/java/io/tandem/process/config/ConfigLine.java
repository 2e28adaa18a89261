package io.tandem.process.config;

import io.tandem.process.ProcessException;
import java.nio.file.Path;

/**
 * One meaningful line of a configuration file, kept with its origin for error messages.
 *
 * @param file the file it was read from
 * @param number its 1-based line number, 0 for a default that no line set
 * @param key the text before the first {@code =}, stripped
 * @param value the text after it, stripped
 */
public record ConfigLine(Path file, int number, String key, String value) {

  /** A CONFIG error that names this line's file and line: {@code file:line: reason}. */
  public ProcessException error(String reason) {
    return at(file, number, reason);
  }

  /** A CONFIG error at {@code line} of {@code file}; line 0 names the file alone. */
  public static ProcessException at(Path file, int line, String reason) {
    String where = line > 0 ? file + ":" + line : file.toString();
    return new ProcessException(ProcessException.Category.CONFIG, where + ": " + reason);
  }
}
