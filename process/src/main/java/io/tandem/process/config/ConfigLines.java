package io.tandem.process.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * The lines of a loaded configuration file by key, with defaults that are parsed like file values
 * (a default's line number is 0, so an error in it names the file alone).
 *
 * @param source the file, absolute and normalized
 * @param lines the lines that set a key, by key
 */
public record ConfigLines(Path source, Map<String, ConfigLine> lines) {

  /** Copies {@code lines}. */
  public ConfigLines {
    lines = Map.copyOf(lines);
  }

  /** Whether the file sets {@code key}. */
  public boolean has(String key) {
    return lines.containsKey(key);
  }

  /** The line that sets {@code key}, or a line 0 holding {@code defaultValue}. */
  public ConfigLine line(String key, String defaultValue) {
    ConfigLine line = lines.get(key);
    return line != null ? line : new ConfigLine(source, 0, key, defaultValue);
  }

  /** {@code key}'s value, or {@code defaultValue}. */
  public String text(String key, String defaultValue) {
    return line(key, defaultValue).value();
  }
}
