package io.tandem.broker.admin;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.jr.ob.JSON;
import io.tandem.broker.BrokerException;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The admin endpoint's and the CLI's JSON, through jackson-jr. Written compact, maps in their
 * iteration order, null values kept; values other than maps, collections, numbers and booleans are
 * written as their {@code toString()}, never introspected as beans. Read back: objects become
 * {@link Map}s (in order), arrays {@link List}s, integers {@link Integer}s or {@link Long}s (or
 * {@code BigInteger}s), other numbers {@link Double}s.
 */
public final class Json {
  /** Deeper documents are refused when read: the endpoint writes four levels at most. */
  static final int MAX_DEPTH = 64;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
          .build();

  private static final JSON CODEC =
      JSON.builder(FACTORY)
          .enable(JSON.Feature.WRITE_NULL_PROPERTIES)
          .disable(JSON.Feature.HANDLE_JAVA_BEANS)
          .build();

  private Json() {}

  /** The JSON text of {@code value}. */
  public static String write(Object value) {
    try {
      return CODEC.asString(value);
    } catch (IOException e) {
      throw new BrokerException(
          BrokerException.Category.INVALID_INPUT, "cannot write as JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Parses one JSON value, the whole of {@code text}.
   *
   * @throws IllegalArgumentException naming the offset of the first error
   */
  public static Object read(String text) {
    try (JsonParser p = FACTORY.createParser(text)) {
      Object value = CODEC.anyFrom(p);
      if (p.nextToken() != null) {
        throw bad(p.currentTokenLocation(), "text after the value");
      }
      return value;
    } catch (JacksonException e) {
      throw bad(e.getLocation(), e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException("bad JSON: " + e.getMessage(), e);
    }
  }

  private static IllegalArgumentException bad(JsonLocation where, String what) {
    long offset = where == null ? -1 : where.getCharOffset();
    return new IllegalArgumentException("bad JSON at offset " + offset + ": " + what);
  }
}
