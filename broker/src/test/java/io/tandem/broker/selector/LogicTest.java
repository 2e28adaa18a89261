package io.tandem.broker.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogicTest {

  // u is absent, hence unknown.
  private static final TestMessage MESSAGE =
      TestMessage.with("t", true).and("f", false).and("n", 1).and("s", "true");

  @ParameterizedTest(name = "{0} AND {1} is {2}")
  @CsvSource({
    "t, t, TRUE",
    "t, f, FALSE",
    "t, u, UNKNOWN",
    "f, t, FALSE",
    "f, f, FALSE",
    "f, u, FALSE",
    "u, t, UNKNOWN",
    "u, f, FALSE",
    "u, u, UNKNOWN"
  })
  void shouldFollowThreeValuedTruthTableForAnd(String left, String right, Truth expected) {
    assertEquals(expected, Truth.of(left + " AND " + right, MESSAGE));
  }

  @ParameterizedTest(name = "{0} OR {1} is {2}")
  @CsvSource({
    "t, t, TRUE",
    "t, f, TRUE",
    "t, u, TRUE",
    "f, t, TRUE",
    "f, f, FALSE",
    "f, u, UNKNOWN",
    "u, t, TRUE",
    "u, f, UNKNOWN",
    "u, u, UNKNOWN"
  })
  void shouldFollowThreeValuedTruthTableForOr(String left, String right, Truth expected) {
    assertEquals(expected, Truth.of(left + " OR " + right, MESSAGE));
  }

  @ParameterizedTest(name = "NOT {0} is {1}")
  @CsvSource({"t, FALSE", "f, TRUE", "u, UNKNOWN"})
  void shouldFollowThreeValuedTruthTableForNot(String operand, Truth expected) {
    assertEquals(expected, Truth.of("NOT " + operand, MESSAGE));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "'t AND t AND u', UNKNOWN",
    "'t AND u AND f', FALSE",
    "'f OR u OR t', TRUE",
    "'f OR f OR u', UNKNOWN",
    "'NOT NOT t', TRUE",
    "'NOT NOT u', UNKNOWN"
  })
  void shouldCombineLongChainsInThreeValuedLogic(String selector, Truth expected) {
    assertEquals(expected, Truth.of(selector, MESSAGE));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    // AND binds tighter than OR: (t OR (f AND f)) is true, ((t OR f) AND f) would be false.
    "'t OR f AND f', TRUE",
    "'f AND f OR t', TRUE",
    "'(t OR f) AND f', FALSE",
    // NOT binds tighter than AND and OR.
    "'NOT t AND f', FALSE",
    "'NOT (t AND f)', TRUE",
    "'NOT f OR t', TRUE",
    "'NOT t OR t', TRUE",
    // Comparison binds tighter than NOT: NOT (n = 2).
    "'NOT n = 2', TRUE",
    "'NOT n = 1 OR t', TRUE",
    "'t AND NOT f AND NOT n > 5', TRUE"
  })
  void shouldApplyLogicalPrecedence(String selector, Truth expected) {
    assertEquals(expected, Truth.of(selector, MESSAGE));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({"'n', UNKNOWN", "'s', UNKNOWN", "'n AND t', UNKNOWN", "'s OR f', UNKNOWN"})
  void shouldTreatNonBooleanIdentifierAsUnknownCondition(String selector, Truth expected) {
    assertEquals(expected, Truth.of(selector, MESSAGE));
  }
}
