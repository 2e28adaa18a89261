package io.tandem.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JsonTreeTest {
  private static final String STATE =
      "{\"role\":\"active\",\"listeners\":[\"amqp://127.0.0.1:5672\"],\"epoch\":12345678901,\"connections\":1,\"peer\":null,"
          + "\"store_io\":{\"state\":\"live\",\"ratio\":0.5},"
          + "\"queues\":[{\"name\":\"a\",\"depth\":0},{\"name\":\"b\",\"depth\":3}]}";

  @Test
  void shouldReadFieldsByPathWithTheirTypes() {
    JsonTree t = JsonTree.parse(STATE);
    assertEquals("active", t.string("role"));
    assertEquals(12345678901L, t.number("epoch"));
    assertEquals(1, t.number("connections"));
    assertEquals("live", t.string("store_io", "state"));
    assertEquals(0.5, t.decimal("store_io", "ratio"));
    assertEquals(3, t.number("queues", "1", "depth"));
    assertEquals(3, t.find("queues", "name", "b").number("depth"));
    assertEquals(2, t.list("queues").size());
    assertEquals(java.util.List.of("amqp://127.0.0.1:5672"), t.strings("listeners"));
    assertTrue(t.has("peer"));
    assertNull(t.get("peer"));
    assertFalse(t.has("lock"));
    assertNull(t.get("queues", "7"));
  }

  @Test
  void shouldFailNamingThePathAndShowingTheDocument() {
    JsonTree t = JsonTree.parse(STATE);
    AssertionError absent = assertThrows(AssertionError.class, () -> t.string("lock"));
    assertTrue(absent.getMessage().startsWith("lock is absent in {\"role\""), absent.getMessage());
    AssertionError type = assertThrows(AssertionError.class, () -> t.number("role"));
    assertTrue(type.getMessage().startsWith("role is not an integer"), type.getMessage());
    assertThrows(AssertionError.class, () -> t.find("queues", "name", "c"));
  }

  @Test
  void shouldRefuseMalformedDocumentsDuplicateKeysAndTrailingText() {
    assertThrows(IllegalArgumentException.class, () -> JsonTree.parse("{\"a\":1,}"));
    assertThrows(IllegalArgumentException.class, () -> JsonTree.parse("{\"a\":1,\"a\":2}"));
    assertThrows(IllegalArgumentException.class, () -> JsonTree.parse("[1] 2"));
    assertThrows(IllegalArgumentException.class, () -> JsonTree.parse(""));
  }
}
