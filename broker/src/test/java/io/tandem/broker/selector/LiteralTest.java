package io.tandem.broker.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LiteralTest {

  private static final TestMessage MESSAGE =
      TestMessage.with("i", 7)
          .and("max", Long.MAX_VALUE)
          .and("min", Long.MIN_VALUE)
          .and("f11", 1.1f)
          .and("quote", "it's")
          .and("apostrophe", "'")
          .and("empty", "")
          .and("yes", true)
          .and("Color", "red")
          .and("color", "blue")
          .and("$price", 3)
          .and("_count", 4)
          .and("ünïcödé", 5)
          .and("\uD835\uDC00", 6)
          .and("JMSXDeliveryCount", 2);

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "'it''s' = quote",
        "quote = 'it''s'",
        "'''' = apostrophe",
        "'' = empty",
        "'a''b' <> 'a''''b'",
        "'%' = '%'"
      })
  void shouldUnescapeDoubledQuotesInStringLiterals(String selector) {
    assertEquals(Truth.TRUE, Truth.of(selector, MESSAGE));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "i = 7",
        "i = 7L",
        "i = 7l",
        "0 = 0",
        "0x1F = 31",
        "0X1f = 31",
        "0x7fffffffffffffff = max",
        "-0x8000000000000000 = min",
        "017 = 15",
        "00 = 0",
        "9223372036854775807 = max",
        "-9223372036854775808 = min",
        "- 9223372036854775807 - 1 = min"
      })
  void shouldParseExactNumbers(String selector) {
    assertEquals(Truth.TRUE, Truth.of(selector, MESSAGE));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "1.5 = 15e-1",
        "1e3 = 1000",
        "1E3 = 1000",
        "7E-2 = 0.07",
        "2e+2 = 200",
        ".5 = 0.5",
        "1. = 1",
        "1.5d = 1.5",
        "1.5D = 1.5",
        "2f = 2",
        "1.1f = f11",
        "1.1 <> f11",
        "1e-400 = 0",
        "-1.5 < 0"
      })
  void shouldParseApproximateNumbers(String selector) {
    assertEquals(Truth.TRUE, Truth.of(selector, MESSAGE));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "yes = TRUE",
        "yes = true",
        "yes = True",
        "yes <> fAlSe",
        "TRUE",
        "true and not false",
        "i between 1 and 9 and i not between 8 and 9",
        "Color like 'r%' escape '!' or Color is null",
        "Color In ('red') AnD Color nOt iN ('blue')",
        "Color Is NoT nUlL Or FALSE"
      })
  void shouldAcceptKeywordsInAnyCase(String selector) {
    assertEquals(Truth.TRUE, Truth.of(selector, MESSAGE));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "'Color = ''red''', TRUE",
    "'color = ''blue''', TRUE",
    "'COLOR IS NULL', TRUE",
    "'Color = color', FALSE",
    "'$price = 3', TRUE",
    "'_count = 4', TRUE",
    "'ünïcödé = 5', TRUE",
    "'\uD835\uDC00 = 6', TRUE",
    "'JMSXDeliveryCount > 1', TRUE",
    "'jmsxdeliverycount > 1', UNKNOWN",
    "'NOTE IS NULL AND ANDY IS NULL AND ISBN IS NULL AND INx IS NULL', TRUE",
    "'ın IS NULL', TRUE"
  })
  void shouldTreatIdentifiersCaseSensitively(String selector, Truth expected) {
    assertEquals(expected, Truth.of(selector, MESSAGE));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"\ti\n=\r7\f", "  i=7  ", "(i=7)AND(yes)", "i<>8", "i>=7 AND i<=7"})
  void shouldAcceptSqlWhitespaceAndTokensWithoutSpaces(String selector) {
    assertEquals(Truth.TRUE, Truth.of(selector, MESSAGE));
  }
}
