package io.tandem.broker.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ComparisonTest {

  private static final TestMessage MESSAGE =
      TestMessage.with("i", 7)
          .and("l", 7L)
          .and("s", (short) 7)
          .and("b", (byte) 7)
          .and("d", 7.0)
          .and("f", 7.0f)
          .and("nan", Double.NaN)
          .and("str", "abc")
          .and("yes", true)
          .and("no", false);

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "'i = 7', TRUE",
    "'i <> 7', FALSE",
    "'i < 8', TRUE",
    "'i < 7', FALSE",
    "'i <= 7', TRUE",
    "'i > 6', TRUE",
    "'i > 7', FALSE",
    "'i >= 7', TRUE",
    "'i >= 8', FALSE",
    "'7 = i', TRUE",
    "'l = i', TRUE",
    "'b = s', TRUE",
    "'l = 9223372036854775807', FALSE",
    "'-9223372036854775808 < l', TRUE"
  })
  void shouldCompareExactNumbers(String selector, Truth expected) {
    assertEquals(expected, Truth.of(selector, MESSAGE));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "'1 = 1.0', TRUE",
    "'i = 7.0', TRUE",
    "'d = 7', TRUE",
    "'f = l', TRUE",
    "'d = f', TRUE",
    "'i < 7.5', TRUE",
    "'i > 6.99', TRUE",
    "'d >= b', TRUE",
    "'d <> 7', FALSE",
    "'0.1 + 0.2 = 0.3', FALSE",
    "'nan = nan', FALSE",
    "'nan <> nan', TRUE",
    "'nan < 1', FALSE",
    "'-0.0 = 0.0', TRUE"
  })
  void shouldPromoteExactToApproximateWhenComparingMixedNumbers(String selector, Truth expected) {
    assertEquals(expected, Truth.of(selector, MESSAGE));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "'str = ''abc''', TRUE",
    "'str = ''ABC''', FALSE",
    "'str <> ''abd''', TRUE",
    "'str <> ''abc''', FALSE",
    "'str < ''b''', FALSE",
    "'str >= ''abc''', FALSE",
    "'yes = TRUE', TRUE",
    "'yes <> no', TRUE",
    "'no = FALSE', TRUE",
    "'yes > no', FALSE",
    "'yes <= TRUE', FALSE"
  })
  void shouldCompareStringsAndBooleansForEqualityOnly(String selector, Truth expected) {
    assertEquals(expected, Truth.of(selector, MESSAGE));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "'str = 7', FALSE",
    "'str <> 7', FALSE",
    "'i = ''7''', FALSE",
    "'i > ''1''', FALSE",
    "'yes = 1', FALSE",
    "'yes <> ''true''', FALSE",
    "'d = TRUE', FALSE"
  })
  void shouldTreatComparisonOfDifferentTypesAsFalse(String selector, Truth expected) {
    assertEquals(expected, Truth.of(selector, MESSAGE));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "'missing = 7'",
    "'missing <> 7'",
    "'7 < missing'",
    "'missing = missing'",
    "'str = missing'",
    "'missing = ''abc'''",
    "'yes = missing'",
    "'missing + 1 > i'"
  })
  void shouldTreatComparisonWithNullAsUnknown(String selector) {
    assertEquals(Truth.UNKNOWN, Truth.of(selector, MESSAGE));
  }
}
