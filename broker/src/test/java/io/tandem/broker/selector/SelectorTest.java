package io.tandem.broker.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class SelectorTest {

  private static final PropertySource UNREADABLE =
      identifier -> {
        throw new AssertionError("read " + identifier);
      };

  @ParameterizedTest(name = "[{0}]")
  @NullSource
  @ValueSource(strings = {"", " ", " \t\r\n\f "})
  void shouldMatchEverythingWhenSelectorIsNullOrBlank(String text) {
    Selector selector = Selector.parse(text);

    assertTrue(selector.isEmpty());
    assertEquals("", selector.text());
    assertTrue(selector.matches(UNREADABLE));
  }

  @Test
  void shouldRefuseNonSqlWhitespaceInsteadOfTreatingItAsBlank() {
    assertThrows(SelectorException.class, () -> Selector.parse("\u2003"));
  }

  @Test
  void shouldKeepSelectorTextAsGiven() {
    Selector selector = Selector.parse(" color = 'red' ");

    assertFalse(selector.isEmpty());
    assertEquals(" color = 'red' ", selector.text());
    assertEquals(" color = 'red' ", selector.toString());
  }

  @Test
  void shouldTreatSelectorsWithSameTextAsEqual() {
    assertEquals(Selector.parse("a = 1"), Selector.parse("a = 1"));
    assertEquals(Selector.parse("a = 1").hashCode(), Selector.parse("a = 1").hashCode());
    assertEquals(Selector.parse(null), Selector.parse("  "));
    assertNotEquals(Selector.parse("a = 1"), Selector.parse("a=1"));
  }

  @Test
  void shouldMatchOnlyWhenConditionIsTrue() {
    TestMessage message = TestMessage.with("a", 1);

    assertTrue(Selector.parse("a = 1").matches(message));
    assertFalse(Selector.parse("a = 2").matches(message));
    assertFalse(Selector.parse("missing = 1").matches(message));
    assertFalse(Selector.parse("NOT (missing = 1)").matches(message));
  }

  @Test
  void shouldTreatUnknownIdentifierAsNull() {
    TestMessage message = TestMessage.empty();

    assertTrue(Selector.parse("unknown IS NULL").matches(message));
    assertFalse(Selector.parse("unknown IS NOT NULL").matches(message));
  }

  @Test
  void shouldTreatValueOfUnsupportedTypeAsNull() {
    TestMessage message = TestMessage.with("ch", 'x').and("big", java.math.BigDecimal.ONE);

    assertTrue(Selector.parse("ch IS NULL AND big IS NULL").matches(message));
    assertFalse(Selector.parse("ch = 'x' OR big = 1").matches(message));
  }

  @Test
  void shouldUseBooleanPropertyAsCondition() {
    assertTrue(Selector.parse("urgent").matches(TestMessage.with("urgent", true)));
    assertFalse(Selector.parse("urgent").matches(TestMessage.with("urgent", false)));
    assertTrue(Selector.parse("NOT urgent").matches(TestMessage.with("urgent", false)));
    assertFalse(Selector.parse("urgent").matches(TestMessage.with("urgent", "true")));
    assertFalse(Selector.parse("NOT urgent").matches(TestMessage.with("urgent", "true")));
  }

  @Test
  void shouldLookUpIdentifiersExactlyAsWritten() {
    TestMessage message = TestMessage.with("JMSType", "order");

    Selector.parse("JMSType = 'order' AND jmsType IS NULL").matches(message);

    assertEquals(List.of("JMSType", "jmsType"), message.lookups());
  }

  @Test
  void shouldStopReadingPropertiesOnceOutcomeIsKnown() {
    TestMessage message = TestMessage.with("a", 1);

    assertTrue(Selector.parse("a = 1 OR b = 1 OR c = 1").matches(message));

    assertEquals(List.of("a"), message.lookups());
  }

  @Test
  void shouldCompareDeliveryModeAsString() {
    TestMessage persistent = TestMessage.with("JMSDeliveryMode", "PERSISTENT");
    TestMessage nonPersistent = TestMessage.with("JMSDeliveryMode", "NON_PERSISTENT");
    Selector selector = Selector.parse("JMSDeliveryMode = 'PERSISTENT'");

    assertTrue(selector.matches(persistent));
    assertFalse(selector.matches(nonPersistent));
    assertTrue(Selector.parse("JMSDeliveryMode <> 'PERSISTENT'").matches(nonPersistent));
  }

  @Test
  void shouldSelectOnJmsHeadersResolvedBySource() {
    TestMessage message =
        TestMessage.with("JMSPriority", 7)
            .and("JMSMessageID", "ID:broker-1:42")
            .and("JMSTimestamp", 1_700_000_000_123L)
            .and("JMSCorrelationID", null)
            .and("JMSType", "order")
            .and("JMSXDeliveryCount", 2)
            .and("region", "eu-west");
    Selector selector =
        Selector.parse(
            "JMSPriority > 4 AND JMSMessageID LIKE 'ID:%' AND JMSTimestamp >= 1700000000000"
                + " AND JMSCorrelationID IS NULL AND JMSType IN ('order', 'refund')"
                + " AND JMSXDeliveryCount < 3 AND region LIKE 'eu-%'");

    assertTrue(selector.matches(message));
    assertFalse(selector.matches(message.and("JMSXDeliveryCount", 3)));
  }

  @Test
  void shouldGiveSameAnswerForManyMessages() {
    Selector selector = Selector.parse("n BETWEEN 10 AND 19 AND name LIKE 'item-1%'");

    int matched = 0;
    for (int n = 0; n < 10_000; n++) {
      if (selector.matches(TestMessage.with("n", n).and("name", "item-" + n))) {
        matched++;
      }
    }

    assertEquals(10, matched);
  }

  @Test
  void shouldRefuseNullSource() {
    Selector selector = Selector.parse("a = 1");

    assertThrows(NullPointerException.class, () -> selector.matches(null));
  }
}
