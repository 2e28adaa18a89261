package io.tandem.broker.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArithmeticTest {

  private static final TestMessage MESSAGE =
      TestMessage.with("i", 7)
          .and("zero", 0)
          .and("d", 7.0)
          .and("f", 7.0f)
          .and("str", "3")
          .and("yes", true)
          .and("uuid", UUID.randomUUID());

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "'2 + 3 * 4 = 14'",
    "'2 * 3 + 4 = 10'",
    "'(2 + 3) * 4 = 20'",
    "'10 - 4 - 3 = 3'",
    "'12 / 2 / 3 = 2'",
    "'2 * 6 / 4 = 3'",
    "'-2 * 3 = -6'",
    "'- (2 + 3) = -5'",
    "'1 - -1 = 2'",
    "'- -7 = i'",
    "'-i = -7'",
    "'+i = 7'",
    "'+ - + 4 = -4'",
    "'i - 2 * 3 > 0'",
    "'i + 1 BETWEEN 8 AND 8'"
  })
  void shouldApplyArithmeticPrecedenceAndAssociativity(String selector) {
    assertEquals(Truth.TRUE, Truth.of(selector, MESSAGE));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "'7 / 2 = 3'",
    "'-7 / 2 = -3'",
    "'7 / 2.0 = 3.5'",
    "'i / 2 = 3'",
    "'d / 2 = 3.5'",
    "'f / 2 = 3.5'",
    "'i * 1.5 = 10.5'",
    "'i + 0.5 > 7'",
    "'9223372036854775807 + 1 = -9223372036854775808'",
    "'d / 0 > 1e308'",
    "'-d / 0 < -1e308'"
  })
  void shouldPromoteLikeJavaArithmetic(String selector) {
    assertEquals(Truth.TRUE, Truth.of(selector, MESSAGE));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "'i / 0 IS NULL'",
    "'i / zero IS NULL'",
    "'1 / 0 + 1 IS NULL'",
    "'str + 1 IS NULL'",
    "'str * 2 IS NULL'",
    "'-str IS NULL'",
    "'+str IS NULL'",
    "'yes + 1 IS NULL'",
    "'uuid + 1 IS NULL'",
    "'missing + 1 IS NULL'",
    "'1 - missing IS NULL'",
    "'(i > 1) + 1 IS NULL'"
  })
  void shouldYieldNullForNonNumericOperandsAndIntegerDivisionByZero(String selector) {
    assertEquals(Truth.TRUE, Truth.of(selector, MESSAGE));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"'i / 0 = 0'", "'i / 0 <> 0'", "'str + 1 = 4'", "'-str < 0'"})
  void shouldMakeComparisonWithNullArithmeticUnknown(String selector) {
    assertEquals(Truth.UNKNOWN, Truth.of(selector, MESSAGE));
  }
}
