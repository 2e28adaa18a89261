package io.tandem.broker.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.HashMap;
import java.util.Map;

/**
 * Coverage-guided fuzzing of the JMS selector parser and evaluator, which read what consumers send.
 * Any text either parses or fails with a SelectorException naming a column inside it; a parsed
 * selector evaluates against any properties without throwing. An input is the selector text, then
 * property values the fuzzer chooses; seeds: {@code SelectorFuzzTestInputs/}; see docs/fuzzing.md.
 */
class SelectorFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void anyTextParsesOrFailsAtAColumnAndEvaluatesWithoutThrowing(FuzzedDataProvider data) {
    String text = data.consumeString(2 * Parser.MAX_LENGTH);
    Selector selector;
    try {
      selector = Selector.parse(text);
    } catch (SelectorException e) {
      assertNotNull(e.category());
      assertTrue(
          e.column() >= 1 && e.column() <= text.codePointCount(0, text.length()) + 1,
          () -> e.column() + " " + e);
      return;
    }
    Map<String, Object> props = new HashMap<>();
    while (data.remainingBytes() > 0) {
      String name = data.consumeString(16);
      props.put(name, value(data));
    }
    boolean first = selector.matches(props::get);
    assertEquals(first, selector.matches(props::get), "evaluation is repeatable");
    assertEquals(selector, Selector.parse(selector.text()));
  }

  private static Object value(FuzzedDataProvider data) {
    switch (data.consumeInt(0, 7)) {
      case 0:
        return null;
      case 1:
        return data.consumeBoolean();
      case 2:
        return data.consumeInt();
      case 3:
        return data.consumeLong();
      case 4:
        return data.consumeDouble();
      case 5:
        return data.consumeFloat();
      case 6:
        return data.consumeByte();
      default:
        return data.consumeString(32);
    }
  }
}
