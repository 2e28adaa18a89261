package io.tandem.agent.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/* Parses values as tandem.conf does: times in seconds unless suffixed, whole numbers. */
final class Values {
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

  static Duration time(ConfigLine at) {
    String t = at.value().strip().toLowerCase(Locale.ROOT);
    for (String[] u : UNITS) {
      if (t.endsWith(u[0]) && t.length() > u[0].length()) {
        String digits = t.substring(0, t.length() - u[0].length()).strip();
        if (Character.isDigit(digits.charAt(digits.length() - 1))) {
          return Duration.of(number(digits, at, TIME), ChronoUnit.valueOf(u[1]));
        }
      }
    }
    return Duration.ofSeconds(number(t, at, TIME));
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

  static int intInRange(ConfigLine at, int min, int max) {
    long n = number(at.value(), at, "a whole number");
    if (n < min || n > max) {
      throw at.error("'" + at.value() + "' must be between " + min + " and " + max);
    }
    return (int) n;
  }

  static Duration timeInRange(ConfigLine at, Duration min, Duration max) {
    Duration d = time(at);
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw at.error(
          "'" + at.value() + "' must be between " + describe(min) + " and " + describe(max));
    }
    return d;
  }

  static String describe(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "sec" : d.toMillis() + "msec";
  }
}
