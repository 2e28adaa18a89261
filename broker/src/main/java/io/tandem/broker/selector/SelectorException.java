package io.tandem.broker.selector;

/**
 * Thrown when a selector cannot be parsed, with the 1-based column where the problem was found.
 *
 * <p>The message has the form {@code invalid selector "color = " at column 9: expected an
 * expression but found end of input}. Long selectors are abbreviated in the message and control
 * characters are escaped, so the message is safe to log and to return to a client.
 */
public final class SelectorException extends RuntimeException {

  /** What kind of problem the selector has. */
  public enum Category {
    /** The text is not a valid selector. */
    SYNTAX,
    /** The text is longer, or nests deeper, than the broker accepts. */
    LIMIT
  }

  private static final int QUOTED_TEXT_LIMIT = 120;

  private final Category category;
  private final String selector;
  private final int column;
  private final String detail;

  private SelectorException(Category category, String selector, int column, String detail) {
    super(message(selector, column, detail));
    this.category = category;
    this.selector = selector;
    this.column = column;
    this.detail = detail;
  }

  static SelectorException syntax(String selector, int offset, String detail) {
    return new SelectorException(Category.SYNTAX, selector, columnOf(selector, offset), detail);
  }

  static SelectorException limit(String selector, int offset, String detail) {
    return new SelectorException(Category.LIMIT, selector, columnOf(selector, offset), detail);
  }

  private static int columnOf(String selector, int offset) {
    return selector.codePointCount(0, Math.min(offset, selector.length())) + 1;
  }

  /**
   * Returns the kind of problem.
   *
   * @return the category
   */
  public Category category() {
    return category;
  }

  /**
   * Returns the refused selector text, unabbreviated.
   *
   * @return the selector text
   */
  public String selector() {
    return selector;
  }

  /**
   * Returns the 1-based column, counted in Unicode code points, where the problem was found; one
   * past the last character when the problem is the end of the input.
   *
   * @return the column
   */
  public int column() {
    return column;
  }

  /**
   * Returns the description of the problem without the selector and column, for example {@code
   * expected ')' but found end of input}.
   *
   * @return the description
   */
  public String detail() {
    return detail;
  }

  private static String message(String selector, int column, String detail) {
    return "invalid selector \"" + quote(selector) + "\" at column " + column + ": " + detail;
  }

  private static String quote(String text) {
    boolean abbreviate = text.length() > QUOTED_TEXT_LIMIT;
    String shown = abbreviate ? text.substring(0, QUOTED_TEXT_LIMIT) : text;
    StringBuilder out = new StringBuilder(shown.length() + 8);
    shown.chars().forEach(c -> appendPrintable(out, (char) c));
    if (abbreviate) {
      out.append("...");
    }
    return out.toString();
  }

  static void appendPrintable(StringBuilder out, char c) {
    // Selectors arrive from clients; keep them from forging log lines or terminal escapes.
    if (c == '"' || c == '\\') {
      out.append('\\').append(c);
    } else if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
      out.append(String.format("\\u%04x", (int) c));
    } else {
      out.append(c);
    }
  }
}
