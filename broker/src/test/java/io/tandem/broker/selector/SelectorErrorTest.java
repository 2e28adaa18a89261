package io.tandem.broker.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SelectorErrorTest {

  @Test
  void shouldReportSelectorColumnAndProblemInMessage() {
    SelectorException e = assertThrows(SelectorException.class, () -> Selector.parse("color = "));

    assertEquals(
        "invalid selector \"color = \" at column 9: expected an expression but found end of input",
        e.getMessage());
    assertEquals(SelectorException.Category.SYNTAX, e.category());
    assertEquals("color = ", e.selector());
    assertEquals(9, e.column());
    assertEquals("expected an expression but found end of input", e.detail());
  }

  @ParameterizedTest(name = "{0} -> column {1}: {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "color = 'red           | 9  | unterminated string literal",
        "(a = 1                 | 7  | expected AND, OR or ')' but found end of input",
        "(a + 1                 | 7  | expected an operator or ')' but found end of input",
        "a = 1)                 | 6  | expected AND, OR or end of input but found ')'",
        "a b                    | 3  | expected an operator or end of input but found identifier b",
        "a = 1 = 2              | 7  | expected AND, OR or end of input but found '='",
        "a == 1                 | 4  | expected an expression but found '='",
        "a != 1                 | 3  | '!=' is not an operator; use '<>'",
        "a = \"x\"              | 5  | unexpected character '\"'; string literals use single quotes",
        "a # 1                  | 3  | unexpected character '#'",
        "a.b = 1                | 2  | unexpected character '.'",
        "NULL = 1               | 1  | expected an expression but found keyword NULL",
        "and = 1                | 1  | expected an expression but found keyword AND",
        "a = 1 AND              | 10 | expected an expression but found end of input",
        "a IN (1, 2)            | 7  | expected a string literal but found number 1",
        "a IN ()                | 7  | expected a string literal but found ')'",
        "a IN 'x'               | 6  | expected '(' but found string 'x'",
        "a IN ('x' 'y')         | 11 | expected ',' or ')' but found string 'y'",
        "a LIKE b               | 8  | expected a string pattern but found identifier b",
        "a LIKE 'x' ESCAPE 'ab' | 19 | expected a single escape character but found string 'ab'",
        "a LIKE 'x' ESCAPE ''   | 19 | expected a single escape character but found string ''",
        "a LIKE 'x!' ESCAPE '!' | 8  | invalid LIKE pattern: the pattern ends with its escape character",
        "a BETWEEN 1 OR 2       | 13 | expected AND but found keyword OR",
        "a IS 5                 | 6  | expected NOT or NULL but found number 5",
        "a IS NOT 5             | 10 | expected NULL but found number 5",
        "a NOT = 1              | 7  | expected BETWEEN, LIKE or IN but found '='",
        "a + 1                  | 1  | expected a condition but found a numeric expression",
        "'abc'                  | 1  | expected a condition but found a string",
        "NOT 5                  | 5  | expected a condition but found a numeric expression",
        "a = 1 AND 2            | 11 | expected a condition but found a numeric expression",
        "'x' OR a               | 1  | expected a condition but found a string",
        "a = 12abc              | 5  | malformed number '12abc'",
        "a = 1e                 | 5  | malformed number '1e'",
        "a = 1.5.2              | 5  | malformed number '1.5.2'",
        "a = 0x                 | 5  | malformed number '0x'",
        "a = 09                 | 5  | malformed octal number '09'",
        "a = 9223372036854775808 | 5 | number 9223372036854775808 is out of range",
        "a = 1e999              | 5  | number 1e999 is out of range",
        "\uD835\uDC00 = #       | 5  | unexpected character '#'"
      })
  void shouldReportColumnAndExpectationForMalformedSelector(
      String selector, int column, String detail) {
    SelectorException e = assertThrows(SelectorException.class, () -> Selector.parse(selector));

    assertEquals(detail, e.detail());
    assertEquals(column, e.column());
    assertEquals(SelectorException.Category.SYNTAX, e.category());
    assertTrue(e.getMessage().endsWith(" at column " + column + ": " + detail), e.getMessage());
  }

  @Test
  void shouldEscapeControlCharactersInMessage() {
    SelectorException e =
        assertThrows(SelectorException.class, () -> Selector.parse("a = 1\n# forged log line"));

    assertEquals(
        "invalid selector \"a = 1\\u000a# forged log line\" at column 7:"
            + " unexpected character '#'",
        e.getMessage());
  }

  @Test
  void shouldAbbreviateLongSelectorInMessageButKeepItWhole() {
    String selector = "a = '" + "x".repeat(500) + "' AND";

    SelectorException e = assertThrows(SelectorException.class, () -> Selector.parse(selector));

    assertEquals(selector, e.selector());
    assertTrue(e.getMessage().length() < 300, e.getMessage());
    assertTrue(e.getMessage().contains("...\" at column 511:"), e.getMessage());
  }
}
