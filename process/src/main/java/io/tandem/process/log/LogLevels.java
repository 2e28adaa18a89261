package io.tandem.process.log;

import io.tandem.process.config.ConfigLine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.regex.Pattern;

/**
 * Log levels by logger name (a package or a class), as the {@code log_levels} key of {@code
 * tandem.conf} and {@code agent.conf} sets them: {@code io.tandem.broker.store=FINE,
 * org.apache.zookeeper=INFO}. A name covers its subpackages.
 *
 * @param levels the level of each named logger, in the order written
 */
public record LogLevels(Map<String, Level> levels) {
  /** The key that sets them, the same in every daemon's configuration file. */
  public static final String KEY = "log_levels";

  private static final List<Level> NAMED =
      List.of(
          Level.OFF,
          Level.SEVERE,
          Level.WARNING,
          Level.INFO,
          Level.CONFIG,
          Level.FINE,
          Level.FINER,
          Level.FINEST,
          Level.ALL);

  private static final Pattern LOGGER =
      Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

  /** Copies {@code levels}, keeping their order. */
  public LogLevels {
    levels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(levels));
  }

  /** No level set: every logger follows the daemon's {@code --log-level}. */
  public static LogLevels none() {
    return new LogLevels(Map.of());
  }

  /**
   * Parses {@code name=LEVEL} pairs separated by commas; levels are java.util.logging's names
   * (SEVERE, WARNING, INFO, CONFIG, FINE, FINER, FINEST, ALL, OFF) in any case.
   *
   * @throws io.tandem.process.ProcessException {@code CONFIG} naming the line
   */
  public static LogLevels parse(ConfigLine at) {
    Map<String, Level> levels = new LinkedHashMap<>();
    for (String item : at.value().split(",", -1)) {
      String pair = item.strip();
      int eq = pair.indexOf('=');
      if (eq < 0) {
        throw at.error("'" + pair + "' is not logger=LEVEL, e.g. io.tandem.broker.store=FINE");
      }
      String name = pair.substring(0, eq).strip();
      if (!LOGGER.matcher(name).matches()) {
        throw at.error("'" + name + "' is not a package or class name");
      }
      Level level = level(pair.substring(eq + 1).strip(), at);
      if (levels.put(name, level) != null) {
        throw at.error("the level of '" + name + "' is set twice");
      }
    }
    return new LogLevels(levels);
  }

  private static Level level(String text, ConfigLine at) {
    String upper = text.toUpperCase(Locale.ROOT);
    for (Level level : NAMED) {
      if (level.getName().equals(upper)) {
        return level;
      }
    }
    throw at.error(
        "'"
            + text
            + "' is not a log level (SEVERE, WARNING, INFO, CONFIG, FINE, FINER, FINEST, ALL, OFF)");
  }
}
