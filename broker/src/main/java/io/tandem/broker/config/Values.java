package io.tandem.broker.config;

import java.time.Duration;
import java.util.Locale;

/** Parsers for the value syntaxes EMS operators know: sizes with units, times with units. */
final class Values {
  private Values() {}

  /** Parses {@code 512}, {@code 10KB}, {@code 64MB}, {@code 2GB} (1024-based) into bytes. */
  static long size(String text, ConfigLine at) {
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
   * {@code min}, {@code hour}, {@code day} as EMS writes them.
   */
  static Duration time(String text, ConfigLine at, java.time.temporal.ChronoUnit defaultUnit) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    String[][] units = {
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
    for (String[] u : units) {
      if (t.endsWith(u[0]) && t.length() > u[0].length()) {
        String digits = t.substring(0, t.length() - u[0].length()).strip();
        if (!digits.isEmpty() && Character.isDigit(digits.charAt(digits.length() - 1))) {
          long n = number(digits, at, "a time such as 30, 500msec, 10sec or 5min");
          return Duration.of(n, java.time.temporal.ChronoUnit.valueOf(u[1]));
        }
      }
    }
    long n = number(t, at, "a time such as 30, 500msec, 10sec or 5min");
    return Duration.of(n, defaultUnit);
  }

  static long number(String text, ConfigLine at, String expected) {
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

  static int intInRange(String text, ConfigLine at, int min, int max) {
    long n = number(text, at, "a whole number");
    if (n < min || n > max) {
      throw at.error("'" + text + "' is out of range " + min + ".." + max);
    }
    return (int) n;
  }

  static boolean bool(String text, ConfigLine at) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "true", "enabled", "yes", "on" -> true;
      case "false", "disabled", "no", "off" -> false;
      default -> throw at.error("'" + text + "' is not a boolean (true/false)");
    };
  }
}
