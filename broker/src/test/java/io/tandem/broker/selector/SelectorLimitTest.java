package io.tandem.broker.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SelectorLimitTest {

  private static final TestMessage MESSAGE = TestMessage.with("a", 1);

  @Test
  void shouldAcceptSelectorOfExactlyMaximumLength() {
    String selector = "a = '" + "x".repeat(65_536 - 6) + "'";

    assertEquals(65_536, selector.length());
    assertFalse(Selector.parse(selector).matches(MESSAGE));
  }

  @Test
  void shouldRefuseSelectorLongerThanMaximumLength() {
    String selector = "a = '" + "x".repeat(65_536 - 5) + "'";

    SelectorException e = assertThrows(SelectorException.class, () -> Selector.parse(selector));

    assertEquals(SelectorException.Category.LIMIT, e.category());
    assertEquals(65_537, e.column());
    assertEquals("the selector is longer than 65536 characters", e.detail());
  }

  @Test
  void shouldAcceptParenthesesNestedToTheLimit() {
    String selector = "(".repeat(200) + "a = 1" + ")".repeat(200);

    assertTrue(Selector.parse(selector).matches(MESSAGE));
  }

  @Test
  void shouldRefuseParenthesesNestedBeyondTheLimit() {
    String selector = "(".repeat(201) + "a = 1" + ")".repeat(201);

    SelectorException e = assertThrows(SelectorException.class, () -> Selector.parse(selector));

    assertEquals(SelectorException.Category.LIMIT, e.category());
    assertEquals(201, e.column());
    assertEquals("nesting is deeper than 200 levels of parentheses, NOT and signs", e.detail());
  }

  @Test
  void shouldCountNotAndSignsTowardsNestingLimit() {
    assertTrue(Selector.parse("NOT ".repeat(200) + "a = 1").matches(MESSAGE));
    assertTrue(Selector.parse("a = " + "-".repeat(200) + "1").matches(MESSAGE));

    assertLimit("NOT ".repeat(201) + "a = 1");
    assertLimit("a = " + "-".repeat(201) + "1");
    assertLimit("a = " + "+".repeat(201) + "1");
    assertLimit("(NOT ".repeat(101) + "a = 1" + ")".repeat(101));
  }

  @Test
  void shouldRefuseHostileNestingWithoutExhaustingTheStack() {
    assertLimit("(".repeat(60_000));
    assertLimit("NOT ".repeat(16_000));
    assertLimit("-".repeat(60_000));
  }

  @Test
  void shouldEvaluateLongFlatChainsWithoutDeepRecursion() {
    String or = "a = 2" + " OR a = 2".repeat(7_000) + " OR a = 1";
    String and = "a = 1" + " AND a = 1".repeat(6_000);
    String sum = "a" + " + a".repeat(15_000) + " = 15001";
    String product = "a" + " * a".repeat(15_000) + " = 1";

    assertTrue(Selector.parse(or).matches(MESSAGE));
    assertTrue(Selector.parse(and).matches(MESSAGE));
    assertTrue(Selector.parse(sum).matches(MESSAGE));
    assertTrue(Selector.parse(product).matches(MESSAGE));
  }

  private static void assertLimit(String selector) {
    SelectorException e = assertThrows(SelectorException.class, () -> Selector.parse(selector));
    assertEquals(SelectorException.Category.LIMIT, e.category(), e.getMessage());
  }
}
