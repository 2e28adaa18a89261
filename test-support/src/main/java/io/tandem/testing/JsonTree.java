package io.tandem.testing;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed JSON document (or a part of one) that a test asserts on field by field instead of
 * matching substrings of its text. Parsing is strict: duplicate keys and text after the value are
 * refused. Accessors take a path of keys (and, through arrays, decimal indexes) and fail with an
 * {@link AssertionError} that names the path and shows the document when the field is absent or of
 * another type, so a failed test says what the broker answered.
 */
public final class JsonTree {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final JSON STRICT =
      JSON.builder(FACTORY).enable(JSON.Feature.FAIL_ON_DUPLICATE_MAP_KEYS).build();

  private final Object value;
  private final String text;

  private JsonTree(Object value, String text) {
    this.value = value;
    this.text = text;
  }

  /**
   * Parses {@code text}, the whole of it.
   *
   * @throws IllegalArgumentException if it is not one well-formed JSON value
   */
  public static JsonTree parse(String text) {
    try (JsonParser p = FACTORY.createParser(text)) {
      Object value = STRICT.anyFrom(p);
      if (p.nextToken() != null) {
        throw new IllegalArgumentException("text after the JSON value: " + text);
      }
      return new JsonTree(value, text);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("not JSON (" + e.getOriginalMessage() + "): " + text, e);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + text, e);
    }
  }

  /**
   * The raw value: a {@code Map} for an object (in document order), a {@code List} for an array, an
   * {@code Integer}, {@code Long} or {@code BigInteger} for an integer, a {@code Double} for
   * another number, a {@code String}, a {@code Boolean}, or null.
   */
  public Object value() {
    return value;
  }

  /** Whether the path leads to a field, even one whose value is null. */
  public boolean has(String... path) {
    Object node = value;
    for (String step : path) {
      if (node instanceof Map<?, ?> m && m.containsKey(step)) {
        node = m.get(step);
      } else if (node instanceof List<?> l && isIndex(step, l)) {
        node = l.get(Integer.parseInt(step));
      } else {
        return false;
      }
    }
    return true;
  }

  /** The raw value at {@code path}, or null if there is none. */
  public Object get(String... path) {
    return has(path) ? walk(path) : null;
  }

  /** The part of the document at {@code path}. */
  public JsonTree at(String... path) {
    return new JsonTree(require(path), text);
  }

  /** The string at {@code path}. */
  public String string(String... path) {
    return typed(String.class, path);
  }

  /** The integer at {@code path}, as a long. */
  public long number(String... path) {
    Object v = require(path);
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    throw fail(path, "is not an integer: " + v);
  }

  /** The number at {@code path}, as a double. */
  public double decimal(String... path) {
    return typed(Number.class, path).doubleValue();
  }

  /** The boolean at {@code path}. */
  public boolean bool(String... path) {
    return typed(Boolean.class, path);
  }

  /** The elements of the array at {@code path}. */
  public List<JsonTree> list(String... path) {
    List<JsonTree> out = new ArrayList<>();
    for (Object o : typed(List.class, path)) {
      out.add(new JsonTree(o, text));
    }
    return out;
  }

  /** The array of strings at {@code path}. */
  public List<String> strings(String... path) {
    List<String> out = new ArrayList<>();
    for (Object o : typed(List.class, path)) {
      if (!(o instanceof String t)) {
        throw fail(path, "holds a value that is not a string: " + o);
      }
      out.add(t);
    }
    return out;
  }

  /**
   * The first object of the array at {@code path} whose field {@code key} holds {@code wanted}
   * (compared as text, so {@code 1} finds {@code 1} whatever its Java type).
   */
  public JsonTree find(String[] path, String key, Object wanted) {
    for (JsonTree element : list(path)) {
      if (element.value instanceof Map<?, ?> m
          && m.containsKey(key)
          && String.valueOf(m.get(key)).equals(String.valueOf(wanted))) {
        return element;
      }
    }
    throw fail(path, "holds no object with " + key + " = " + wanted);
  }

  /** {@link #find(String[], String, Object)} for an array one key deep. */
  public JsonTree find(String arrayKey, String key, Object wanted) {
    return find(new String[] {arrayKey}, key, wanted);
  }

  /** The text the tree was parsed from (the whole document, for a part). */
  @Override
  public String toString() {
    return text;
  }

  private <T> T typed(Class<T> type, String... path) {
    Object v = require(path);
    if (!type.isInstance(v)) {
      throw fail(path, "is not a " + type.getSimpleName().toLowerCase() + ": " + v);
    }
    return type.cast(v);
  }

  private Object require(String... path) {
    if (!has(path)) {
      throw fail(path, "is absent");
    }
    return walk(path);
  }

  private Object walk(String... path) {
    Object node = value;
    for (String step : path) {
      node =
          node instanceof Map<?, ?> m ? m.get(step) : ((List<?>) node).get(Integer.parseInt(step));
    }
    return node;
  }

  private static boolean isIndex(String step, List<?> list) {
    return step.matches("[0-9]{1,9}") && Integer.parseInt(step) < list.size();
  }

  private AssertionError fail(String[] path, String what) {
    String where = path.length == 0 ? "the document" : String.join(".", Arrays.asList(path));
    return new AssertionError(where + " " + what + " in " + Objects.toString(text));
  }
}
