package io.tandem.broker.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PredicateTest {

  private static final TestMessage MESSAGE =
      TestMessage.with("i", 7)
          .and("d", 7.0)
          .and("str", "abc")
          .and("empty", "")
          .and("quote", "it's")
          .and("under", "a_b")
          .and("percent", "100%")
          .and("regex", "a.b*c+(d)[e]{f}^$|?\\g")
          .and("yes", true)
          .and("explicitNull", null)
          .and("uuid", UUID.randomUUID());

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "'i BETWEEN 7 AND 9', TRUE",
    "'i BETWEEN 1 AND 7', TRUE",
    "'i BETWEEN 7 AND 7', TRUE",
    "'i BETWEEN 8 AND 9', FALSE",
    "'i BETWEEN 9 AND 1', FALSE",
    "'i BETWEEN 6.5 AND 7.5', TRUE",
    "'d BETWEEN 6 AND 7', TRUE",
    "'i BETWEEN 1 + 1 AND 2 * 4', TRUE",
    "'i BETWEEN 1 AND 9 AND yes', TRUE",
    "'i NOT BETWEEN 8 AND 9', TRUE",
    "'i NOT BETWEEN 7 AND 7', FALSE",
    "'i NOT BETWEEN 1 AND 6', TRUE",
    "'missing BETWEEN 1 AND 9', UNKNOWN",
    "'missing NOT BETWEEN 1 AND 9', UNKNOWN",
    "'i BETWEEN missing AND 9', UNKNOWN",
    "'i BETWEEN missing AND 5', FALSE",
    "'i NOT BETWEEN missing AND 5', TRUE",
    "'i NOT BETWEEN missing AND 9', UNKNOWN",
    "'str BETWEEN ''a'' AND ''z''', FALSE",
    "'str NOT BETWEEN ''a'' AND ''z''', FALSE",
    "'yes BETWEEN 0 AND 1', FALSE"
  })
  void shouldEvaluateBetweenInclusively(String selector, Truth expected) {
    assertEquals(expected, Truth.of(selector, MESSAGE));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "'str IN (''abc'')', TRUE",
    "'str IN (''x'', ''abc'', ''y'')', TRUE",
    "'str IN (''x'', ''y'')', FALSE",
    "'str IN (''ABC'')', FALSE",
    "'str IN (''abc'', ''abc'')', TRUE",
    "'quote IN (''it''''s'')', TRUE",
    "'empty IN ('''')', TRUE",
    "'str NOT IN (''x'', ''y'')', TRUE",
    "'str NOT IN (''abc'')', FALSE",
    "'missing IN (''abc'')', UNKNOWN",
    "'missing NOT IN (''abc'')', UNKNOWN",
    "'explicitNull IN (''abc'')', UNKNOWN",
    "'i IN (''7'')', UNKNOWN",
    "'i NOT IN (''7'')', UNKNOWN",
    "'yes IN (''true'')', UNKNOWN"
  })
  void shouldEvaluateInOnStringsOnly(String selector, Truth expected) {
    assertEquals(expected, Truth.of(selector, MESSAGE));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "'str LIKE ''abc''', TRUE",
    "'str LIKE ''a%''', TRUE",
    "'str LIKE ''%c''', TRUE",
    "'str LIKE ''%b%''', TRUE",
    "'str LIKE ''_b_''', TRUE",
    "'str LIKE ''__''', FALSE",
    "'str LIKE ''____''', FALSE",
    "'str LIKE ''ABC''', FALSE",
    "'str LIKE ''a''', FALSE",
    "'str LIKE ''%''', TRUE",
    "'empty LIKE ''%''', TRUE",
    "'empty LIKE ''''', TRUE",
    "'empty LIKE ''_''', FALSE",
    "'str NOT LIKE ''x%''', TRUE",
    "'str NOT LIKE ''a%''', FALSE",
    "'quote LIKE ''it''''s''', TRUE",
    "'missing LIKE ''%''', UNKNOWN",
    "'missing NOT LIKE ''%''', UNKNOWN",
    "'i LIKE ''7''', UNKNOWN",
    "'i NOT LIKE ''7''', UNKNOWN"
  })
  void shouldMatchLikeWildcards(String selector, Truth expected) {
    assertEquals(expected, Truth.of(selector, MESSAGE));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "'under LIKE ''a\\_b'' ESCAPE ''\\''', TRUE",
    "'str LIKE ''a\\_c'' ESCAPE ''\\''', FALSE",
    "'under LIKE ''_\\__'' ESCAPE ''\\''', TRUE",
    "'percent LIKE ''100!%'' ESCAPE ''!''', TRUE",
    "'percent LIKE ''10!%'' ESCAPE ''!''', FALSE",
    "'percent LIKE ''%!%'' ESCAPE ''!''', TRUE",
    "'str LIKE ''%!%'' ESCAPE ''!''', FALSE",
    "'percent LIKE ''100%%'' ESCAPE ''%''', TRUE",
    "'str LIKE ''!a!b!c'' ESCAPE ''!''', TRUE",
    "'under NOT LIKE ''a!_b'' ESCAPE ''!''', FALSE",
    "'str LIKE ''a%'' escape ''!''', TRUE"
  })
  void shouldHonourLikeEscapeCharacter(String selector, Truth expected) {
    assertEquals(expected, Truth.of(selector, MESSAGE));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "'regex LIKE ''a.b*c+(d)[e]{f}^$|?\\g''', TRUE",
    "'regex LIKE ''a.b*%\\g''', TRUE",
    "'regex LIKE ''a_b*c+(d)[e]{f}^$|?\\_''', TRUE",
    "'str LIKE ''a.c''', FALSE",
    "'str LIKE ''.*''', FALSE",
    "'str LIKE ''[a-z]bc''', FALSE",
    "'str LIKE ''\\Qabc\\E''', FALSE"
  })
  void shouldTreatRegexMetacharactersInLikePatternLiterally(String selector, Truth expected) {
    assertEquals(expected, Truth.of(selector, MESSAGE));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "'missing IS NULL', TRUE",
    "'explicitNull IS NULL', TRUE",
    "'uuid IS NULL', TRUE",
    "'str IS NULL', FALSE",
    "'empty IS NULL', FALSE",
    "'missing IS NOT NULL', FALSE",
    "'str IS NOT NULL', TRUE",
    "'NOT missing IS NULL', FALSE",
    "'i / 0 IS NULL', TRUE",
    "'missing iS nOt NuLl', FALSE"
  })
  void shouldTestForNullWithoutEverBeingUnknown(String selector, Truth expected) {
    assertEquals(expected, Truth.of(selector, MESSAGE));
  }
}
