package io.tandem.broker.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LikePatternTest {

  @ParameterizedTest(name = "''{1}'' LIKE ''{0}'' is {2}")
  @CsvSource({
    "'', '', true",
    "'', 'a', false",
    "'%', '', true",
    "'%%%', 'abc', true",
    "'_', '', false",
    "'_', 'a', true",
    "'a%b', 'ab', true",
    "'a%b', 'axxb', true",
    "'a%b', 'axxbx', false",
    "'%ab%ab', 'aabab', true",
    "'%ab%ab', 'abba', false",
    "'%a_c', 'abcabd', false",
    "'%a_c', 'abcaxc', true",
    "'a_%_b', 'axb', false",
    "'a_%_b', 'axyb', true",
    "'%b', 'bbbb', true",
    "'b%', 'abbb', false"
  })
  void shouldMatchWildcardsWithBacktracking(String pattern, String value, boolean expected) {
    assertEquals(expected, LikePattern.compile(pattern, LikePattern.NO_ESCAPE).matches(value));
  }

  @Test
  void shouldMatchSupplementaryCharacterAsOneCharacter() {
    LikePattern pattern = LikePattern.compile("a_b", LikePattern.NO_ESCAPE);

    assertTrue(pattern.matches("a\uD835\uDC00b"));
    assertFalse(pattern.matches("a\uD835\uDC00\uD835\uDC00b"));
  }

  @Test
  void shouldAcceptSupplementaryEscapeCharacter() {
    LikePattern pattern = LikePattern.compile("50\uD835\uDC00%", "\uD835\uDC00".codePointAt(0));

    assertTrue(pattern.matches("50%"));
    assertFalse(pattern.matches("500"));
  }

  @Test
  void shouldRefusePatternEndingWithEscapeCharacter() {
    assertThrows(IllegalArgumentException.class, () -> LikePattern.compile("ab!", '!'));
  }

  @Test
  void shouldAcceptDoubledEscapeAsLiteralEscapeCharacter() {
    assertTrue(LikePattern.compile("a!!b", '!').matches("a!b"));
  }

  @Test
  void shouldRejectHostilePatternQuickly() {
    LikePattern pattern = LikePattern.compile("%a%a%a%a%a%a%a%a%a%a%b", LikePattern.NO_ESCAPE);
    String value = "a".repeat(20_000);

    assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertFalse(pattern.matches(value)));
  }
}
