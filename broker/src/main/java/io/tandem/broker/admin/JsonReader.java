package io.tandem.broker.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON the admin endpoint writes, for the {@code tandem} subcommands that call it:
 * objects become {@link Map}s (in order), arrays {@link List}s, integers {@link Long}s, other
 * numbers {@link Double}s.
 */
public final class JsonReader {
  private static final int MAX_DEPTH = 64;

  private final String text;
  private int pos;

  private JsonReader(String text) {
    this.text = text;
  }

  /**
   * Parses one JSON value.
   *
   * @throws IllegalArgumentException naming the offset of the first error
   */
  public static Object parse(String text) {
    JsonReader r = new JsonReader(text);
    Object v = r.value(0);
    r.space();
    if (r.pos != text.length()) {
      throw r.error("unexpected text after the value");
    }
    return v;
  }

  private Object value(int depth) {
    if (depth > MAX_DEPTH) {
      throw error("nested too deeply");
    }
    space();
    if (pos >= text.length()) {
      throw error("unexpected end");
    }
    char c = text.charAt(pos);
    return switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> number();
    };
  }

  private Map<String, Object> object(int depth) {
    Map<String, Object> m = new LinkedHashMap<>();
    pos++;
    space();
    if (peek('}')) {
      return m;
    }
    do {
      space();
      if (pos >= text.length() || text.charAt(pos) != '"') {
        throw error("expected a key");
      }
      String key = string();
      space();
      expect(':');
      m.put(key, value(depth + 1));
      space();
    } while (peek(','));
    expect('}');
    return m;
  }

  private List<Object> array(int depth) {
    List<Object> list = new ArrayList<>();
    pos++;
    space();
    if (peek(']')) {
      return list;
    }
    do {
      list.add(value(depth + 1));
      space();
    } while (peek(','));
    expect(']');
    return list;
  }

  private String string() {
    StringBuilder sb = new StringBuilder();
    pos++;
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= text.length()) {
        break;
      }
      char e = text.charAt(pos++);
      switch (e) {
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            throw error("bad \\u escape");
          }
          sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          pos += 4;
        }
        default -> sb.append(e);
      }
    }
    throw error("unterminated string");
  }

  private Object number() {
    int start = pos;
    while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
    String n = text.substring(start, pos);
    try {
      return n.matches("-?[0-9]+") ? (Object) Long.valueOf(n) : (Object) Double.valueOf(n);
    } catch (NumberFormatException e) {
      pos = start;
      throw error("expected a value");
    }
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, pos)) {
      throw error("expected " + word);
    }
    pos += word.length();
    return value;
  }

  private boolean peek(char c) {
    if (pos < text.length() && text.charAt(pos) == c) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!peek(c)) {
      throw error("expected '" + c + "'");
    }
  }

  private void space() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("bad JSON at offset " + pos + ": " + what);
  }
}
