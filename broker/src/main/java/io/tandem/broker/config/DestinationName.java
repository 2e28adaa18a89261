package io.tandem.broker.config;

import java.util.Arrays;

/**
 * EMS destination names and wildcards: elements separated by {@code .}; in a pattern {@code *}
 * matches exactly one element and {@code >} (last element only) matches one or more.
 */
public final class DestinationName {
  private static final int MAX_LENGTH = 249;

  private DestinationName() {}

  /** Whether {@code name} contains a wildcard element. */
  public static boolean isWildcard(String name) {
    return Arrays.stream(name.split("\\.", -1)).anyMatch(e -> e.equals("*") || e.equals(">"));
  }

  /** Returns a reason the name is invalid, or {@code null} when it is a valid name or pattern. */
  public static String problem(String name) {
    if (name.isEmpty()) {
      return "destination name is empty";
    }
    if (name.length() > MAX_LENGTH) {
      return "destination name is longer than " + MAX_LENGTH + " characters";
    }
    String[] elements = name.split("\\.", -1);
    for (int i = 0; i < elements.length; i++) {
      String e = elements[i];
      if (e.isEmpty()) {
        return "destination name '" + name + "' has an empty element";
      }
      if (e.equals(">") && i != elements.length - 1) {
        return "'>' may only be the last element of '" + name + "'";
      }
      if (e.length() > 1 && (e.contains("*") || e.contains(">"))) {
        return "wildcards must be whole elements in '" + name + "'";
      }
      for (int c = 0; c < e.length(); c++) {
        if (Character.isWhitespace(e.charAt(c)) || Character.isISOControl(e.charAt(c))) {
          return "destination name '" + name + "' contains white space or control characters";
        }
      }
    }
    return null;
  }

  /** Whether {@code pattern} (possibly with wildcards) matches the concrete {@code name}. */
  public static boolean matches(String pattern, String name) {
    if (pattern.equals(name)) {
      return true;
    }
    String[] p = pattern.split("\\.", -1);
    String[] n = name.split("\\.", -1);
    for (int i = 0; i < p.length; i++) {
      if (p[i].equals(">")) {
        return n.length > i;
      }
      if (i >= n.length) {
        return false;
      }
      if (!p[i].equals("*") && !p[i].equals(n[i])) {
        return false;
      }
    }
    return p.length == n.length;
  }

  /**
   * Whether every name {@code subscription} could match is also allowed by {@code pattern}: used to
   * decide if a wildcard subscription is permitted. Conservative: element-wise comparison.
   */
  public static boolean covers(String pattern, String subscription) {
    String[] p = pattern.split("\\.", -1);
    String[] s = subscription.split("\\.", -1);
    for (int i = 0; i < p.length; i++) {
      if (p[i].equals(">")) {
        return s.length > i;
      }
      if (i >= s.length || s[i].equals(">")) {
        return false;
      }
      if (!p[i].equals("*") && !p[i].equals(s[i])) {
        return false;
      }
    }
    return p.length == s.length;
  }

  /**
   * Whether some concrete name matches both {@code a} and {@code b} (each a name or a pattern): a
   * wildcard subscription that overlaps a {@code secure} destination is itself secure.
   */
  public static boolean overlaps(String a, String b) {
    String[] x = a.split("\\.", -1);
    String[] y = b.split("\\.", -1);
    for (int i = 0; ; i++) {
      boolean xEnd = i >= x.length;
      boolean yEnd = i >= y.length;
      if (xEnd || yEnd) {
        return xEnd && yEnd;
      }
      if (x[i].equals(">") || y[i].equals(">")) {
        return true;
      }
      if (!x[i].equals("*") && !y[i].equals("*") && !x[i].equals(y[i])) {
        return false;
      }
    }
  }
}
