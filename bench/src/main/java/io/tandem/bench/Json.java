package io.tandem.bench;

import java.util.List;
import java.util.Locale;

/** A minimal JSON writer: objects, arrays, strings, finite numbers (others become null). */
final class Json {
  private final StringBuilder out = new StringBuilder();
  private boolean first = true;

  Json open(char bracket) {
    separate();
    out.append(bracket);
    first = true;
    return this;
  }

  Json close(char bracket) {
    out.append(bracket);
    first = false;
    return this;
  }

  Json key(String key) {
    separate();
    string(key);
    out.append(':');
    first = true;
    return this;
  }

  Json field(String key, String value) {
    key(key);
    first = false;
    string(value);
    return this;
  }

  Json field(String key, double value) {
    key(key);
    first = false;
    number(value);
    return this;
  }

  Json field(String key, long value) {
    key(key);
    first = false;
    out.append(value);
    return this;
  }

  Json field(String key, boolean value) {
    key(key);
    first = false;
    out.append(value);
    return this;
  }

  Json numbers(double[] values) {
    open('[');
    for (double v : values) {
      separate();
      number(v);
      first = false;
    }
    return close(']');
  }

  Json strings(List<String> values) {
    open('[');
    for (String v : values) {
      separate();
      string(v);
      first = false;
    }
    return close(']');
  }

  private void separate() {
    if (!first) {
      out.append(',');
    }
    first = false;
  }

  private void number(double v) {
    if (Double.isFinite(v)) {
      out.append(
          java.math.BigDecimal.valueOf(v)
              .round(new java.math.MathContext(6))
              .stripTrailingZeros()
              .toPlainString());
    } else {
      out.append("null");
    }
  }

  private void string(String s) {
    out.append('"');
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
