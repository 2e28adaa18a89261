package io.tandem.broker.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {
  @Test
  void shouldReadBackWhatTheEndpointWrites() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "a \"quoted\"\nline\\");
    m.put("depth", 42L);
    m.put("ratio", 0.5);
    m.put("durable", true);
    m.put("peer", null);
    m.put("queues", List.of(Map.of("name", "q"), List.of()));
    assertEquals(m, JsonReader.parse(Json.write(m)));
  }

  @Test
  void shouldReadEscapesAndWhitespace() {
    assertEquals(
        Arrays.asList("\u00e9\t", -3L, 1.5e3, false, null),
        JsonReader.parse(" [ \"\\u00e9\\t\" , -3, 1.5e3 , false , null ] "));
  }

  @Test
  void shouldRejectBrokenJsonNamingTheOffset() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("{\"a\":1,}"));
    assertTrue(e.getMessage().startsWith("bad JSON at offset 7: expected a key"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("[1] 2"));
    assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("\"open"));
    assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("[".repeat(100)));
  }
}
