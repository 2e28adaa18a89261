package io.tandem.broker.selector;

import java.util.Objects;

/**
 * A parsed JMS message selector, immutable and safe to evaluate from many threads at once.
 *
 * <p>The language is the SQL-92 conditional-expression subset that the JMS 2.0 specification
 * defines: literals ({@code 'it''s'}, {@code 42}, {@code 0x2A}, {@code 1.5e3}, {@code TRUE}),
 * identifiers, {@code + - * /}, {@code = <> < <= > >=}, {@code [NOT] BETWEEN}, {@code [NOT] IN},
 * {@code [NOT] LIKE ... [ESCAPE ...]}, {@code IS [NOT] NULL}, {@code NOT}, {@code AND}, {@code OR}
 * and parentheses. Keywords are case-insensitive; identifiers are case-sensitive.
 *
 * <p>Evaluation uses the specification's three-valued logic: a missing property is NULL, NULL makes
 * comparisons and arithmetic unknown, and a message matches only when the selector is true, never
 * when it is false or unknown. Comparing values of different types (a string with a number, or
 * booleans with {@code <}) is false; exact and approximate numbers compare after Java's numeric
 * promotion, so {@code 1 = 1.0}. Arithmetic on a non-number and exact division by zero give NULL;
 * {@code LIKE} and {@code IN} on a non-string are unknown. Evaluating never throws because of the
 * values a message carries.
 */
public final class Selector {

  private static final Selector EVERYTHING = new Selector("", null);

  private final String text;
  private final Expression condition;

  private Selector(String text, Expression condition) {
    this.text = text;
    this.condition = condition;
  }

  /**
   * Parses a selector. A {@code null} or blank selector is no selector at all, as in JMS, and
   * matches every message.
   *
   * <p>Selectors longer than 65,536 characters, or nesting parentheses, {@code NOT} and signs more
   * than 200 levels deep, are refused, so that hostile input cannot exhaust memory or the stack.
   *
   * @param text the selector, or {@code null}
   * @return the parsed selector
   * @throws SelectorException if the text is not a valid selector or exceeds a limit
   */
  public static Selector parse(String text) {
    if (text == null) {
      return EVERYTHING;
    }
    if (text.length() > Parser.MAX_LENGTH) {
      throw SelectorException.limit(
          text,
          Parser.MAX_LENGTH,
          "the selector is longer than " + Parser.MAX_LENGTH + " characters");
    }
    if (Lexer.isBlank(text)) {
      return EVERYTHING;
    }
    return new Selector(text, Parser.parse(text));
  }

  /**
   * Decides whether a message matches: true only when the selector evaluates to true for the
   * message's headers and properties.
   *
   * @param source the message's headers and properties
   * @return whether the message matches
   */
  public boolean matches(PropertySource source) {
    Objects.requireNonNull(source, "source");
    return condition == null || Boolean.TRUE.equals(condition.evaluate(source));
  }

  /**
   * Returns whether this selector was given as {@code null} or blank text and so matches every
   * message without consulting its properties.
   *
   * @return whether the selector is empty
   */
  public boolean isEmpty() {
    return condition == null;
  }

  /**
   * Returns the selector text as given, or the empty string for an empty selector.
   *
   * @return the selector text
   */
  public String text() {
    return text;
  }

  /** Two selectors are equal when their texts are; a subscription's selector changes only so. */
  @Override
  public boolean equals(Object other) {
    return other instanceof Selector && ((Selector) other).text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
