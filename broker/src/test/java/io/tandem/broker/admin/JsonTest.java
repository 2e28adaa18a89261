package io.tandem.broker.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void shouldReadBackWhatTheEndpointWrites() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "a \"quoted\"\nline\\");
    m.put("depth", 42L);
    m.put("ratio", 0.5);
    m.put("durable", true);
    m.put("peer", null);
    m.put("queues", List.of(Map.of("name", "q"), List.of()));
    Map<String, Object> read = new LinkedHashMap<>(m);
    read.put("depth", 42);
    assertEquals(read, Json.read(Json.write(m)));
  }

  @Test
  void shouldWriteCompactInMapOrderKeepingNullsAndEscapingControlCharacters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("server", "a \"b\"\\\n\r\t\u0001é");
    m.put("peer", null);
    m.put("epoch", 7L);
    m.put("ratio", 0.25);
    m.put("up", false);
    m.put("listeners", List.of("amqp://127.0.0.1:5672"));
    m.put("memory", new LinkedHashMap<>(Map.of("used_bytes", 0)));
    assertEquals(
        "{\"server\":\"a \\\"b\\\"\\\\\\n\\r\\t\\u0001é\",\"peer\":null,\"epoch\":7,"
            + "\"ratio\":0.25,\"up\":false,\"listeners\":[\"amqp://127.0.0.1:5672\"],"
            + "\"memory\":{\"used_bytes\":0}}",
        Json.write(m));
  }

  @Test
  void shouldWriteOtherValuesAsTheirTextNotAsBeans() {
    assertEquals(
        "[\"/srv/store\",\"PT1S\"]",
        Json.write(List.of(Path.of("/srv/store"), Duration.ofSeconds(1))));
  }

  @Test
  void shouldReadEscapesAndWhitespace() {
    assertEquals(
        Arrays.asList("\u00e9\t", -3, 1.5e3, false, null, 12345678901L),
        Json.read(" [ \"\\u00e9\\t\" , -3, 1.5e3 , false , null, 12345678901 ] "));
  }

  @Test
  void shouldRejectBrokenJsonNamingTheOffset() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Json.read("{\"a\":1,}"));
    assertTrue(e.getMessage().startsWith("bad JSON at offset 7: "), e.getMessage());
    IllegalArgumentException trailing =
        assertThrows(IllegalArgumentException.class, () -> Json.read("[1] 2"));
    assertTrue(trailing.getMessage().startsWith("bad JSON at offset 4: "), trailing.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Json.read("\"open"));
    assertThrows(IllegalArgumentException.class, () -> Json.read(""));
  }

  @Test
  void shouldRefuseDocumentsNestedDeeperThanTheLimit() {
    String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Json.read(deep));
    assertTrue(e.getMessage().contains("nesting depth"), e.getMessage());
    String limit = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
    assertTrue(Json.read(limit) instanceof List<?>, limit);
  }
}
