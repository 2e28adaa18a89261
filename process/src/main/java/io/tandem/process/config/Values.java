package io.tandem.process.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The value syntaxes EMS operators know, parsed the same way in every Tandem configuration file:
 * sizes with units, times with units, whole numbers, booleans. Each error names the line.
 */
public final class Values {
  private static final String TIME = "a time such as 30, 500msec, 10sec or 5min";
  private static final String[][] UNITS = {
    {"msec", "MILLIS"},
    {"ms", "MILLIS"},
    {"sec", "SECONDS"},
    {"s", "SECONDS"},
    {"min", "MINUTES"},
    {"hour", "HOURS"},
    {"h", "HOURS"},
    {"day", "DAYS"},
    {"d", "DAYS"}
  };

  private Values() {}

  /** Parses {@code 512}, {@code 10KB}, {@code 64MB}, {@code 2GB} (1024-based) into bytes. */
  public static long size(String text, ConfigLine at) {
    String t = text.strip().toUpperCase(Locale.ROOT);
    long unit = 1;
    String digits = t;
    if (t.endsWith("KB") || t.endsWith("MB") || t.endsWith("GB")) {
      unit =
          switch (t.charAt(t.length() - 2)) {
            case 'K' -> 1024L;
            case 'M' -> 1024L * 1024;
            default -> 1024L * 1024 * 1024;
          };
      digits = t.substring(0, t.length() - 2).strip();
    } else if (t.endsWith("B")) {
      digits = t.substring(0, t.length() - 1).strip();
    }
    long n;
    try {
      n = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < 0) {
      throw at.error("'" + text + "' is not a size such as 512, 64KB, 10MB or 2GB");
    }
    if (n > Long.MAX_VALUE / unit) {
      throw at.error("size '" + text + "' is too large");
    }
    return n * unit;
  }

  /**
   * Parses a time: a bare number is in {@code defaultUnit}; suffixes {@code msec}, {@code sec},
   * {@code min}, {@code hour}, {@code day} as EMS writes them (and {@code ms}, {@code s}, {@code
   * h}, {@code d}).
   */
  public static Duration time(String text, ConfigLine at, ChronoUnit defaultUnit) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    for (String[] u : UNITS) {
      if (t.endsWith(u[0]) && t.length() > u[0].length()) {
        String digits = t.substring(0, t.length() - u[0].length()).strip();
        if (!digits.isEmpty() && Character.isDigit(digits.charAt(digits.length() - 1))) {
          return Duration.of(number(digits, at, TIME), ChronoUnit.valueOf(u[1]));
        }
      }
    }
    return Duration.of(number(t, at, TIME), defaultUnit);
  }

  /** The line's value as a time between {@code min} and {@code max}, both included. */
  public static Duration timeInRange(
      ConfigLine at, ChronoUnit defaultUnit, Duration min, Duration max) {
    Duration d = time(at.value(), at, defaultUnit);
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw at.error(
          "'" + at.value() + "' must be between " + describe(min) + " and " + describe(max));
    }
    return d;
  }

  /** A whole number, not negative; {@code expected} says what the line should hold. */
  public static long number(String text, ConfigLine at, String expected) {
    try {
      long n = Long.parseLong(text.strip());
      if (n < 0) {
        throw at.error("'" + text + "' must not be negative");
      }
      return n;
    } catch (NumberFormatException e) {
      throw at.error("'" + text + "' is not " + expected);
    }
  }

  /** A whole number between {@code min} and {@code max}, both included. */
  public static int intInRange(String text, ConfigLine at, int min, int max) {
    long n = number(text, at, "a whole number");
    if (n < min || n > max) {
      throw at.error("'" + text + "' is out of range " + min + ".." + max);
    }
    return (int) n;
  }

  /** {@code true}/{@code enabled}/{@code yes}/{@code on} or their opposites, in any case. */
  public static boolean bool(String text, ConfigLine at) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "true", "enabled", "yes", "on" -> true;
      case "false", "disabled", "no", "off" -> false;
      default -> throw at.error("'" + text + "' is not a boolean (true/false)");
    };
  }

  /** A duration as a configuration file writes it: {@code 10sec}, or {@code 500msec}. */
  public static String describe(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "sec" : d.toMillis() + "msec";
  }
}
