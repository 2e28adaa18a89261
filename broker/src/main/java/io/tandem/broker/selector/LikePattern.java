package io.tandem.broker.selector;

import java.util.Arrays;

// A hand-rolled matcher rather than a regular expression: it allocates nothing per match, needs
// no quoting of regex metacharacters, and the single-backtrack wildcard algorithm takes at most
// O(pattern x value) steps however hostile the pattern.
final class LikePattern {

  static final int NO_ESCAPE = -1;
  private static final int ANY_SEQUENCE = -1;
  private static final int ANY_CHARACTER = -2;

  // Code points of literal characters, or one of the (negative) wildcard markers.
  private final int[] elements;

  private LikePattern(int[] elements) {
    this.elements = elements;
  }

  // Throws IllegalArgumentException when the pattern ends with an unescaped escape character.
  static LikePattern compile(String pattern, int escape) {
    int[] elements = new int[pattern.length()];
    int count = 0;
    for (int i = 0; i < pattern.length(); ) {
      int cp = pattern.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == escape) {
        if (i >= pattern.length()) {
          throw new IllegalArgumentException("the pattern ends with its escape character");
        }
        cp = pattern.codePointAt(i);
        i += Character.charCount(cp);
        elements[count++] = cp;
      } else if (cp == '%') {
        // "%%" means the same as "%"; collapsing keeps backtracking short.
        if (count == 0 || elements[count - 1] != ANY_SEQUENCE) {
          elements[count++] = ANY_SEQUENCE;
        }
      } else {
        elements[count++] = cp == '_' ? ANY_CHARACTER : cp;
      }
    }
    return new LikePattern(Arrays.copyOf(elements, count));
  }

  boolean matches(String value) {
    int v = 0;
    int p = 0;
    int retryPattern = -1;
    int retryValue = 0;
    while (v < value.length()) {
      int cp = value.codePointAt(v);
      if (p < elements.length && (elements[p] == ANY_CHARACTER || elements[p] == cp)) {
        v += Character.charCount(cp);
        p++;
      } else if (p < elements.length && elements[p] == ANY_SEQUENCE) {
        retryPattern = ++p;
        retryValue = v;
      } else if (retryPattern >= 0) {
        // Let the last '%' swallow one more character and try the rest of the pattern again.
        retryValue += Character.charCount(value.codePointAt(retryValue));
        v = retryValue;
        p = retryPattern;
      } else {
        return false;
      }
    }
    while (p < elements.length && elements[p] == ANY_SEQUENCE) {
      p++;
    }
    return p == elements.length;
  }
}
