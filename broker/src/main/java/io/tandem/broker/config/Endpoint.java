package io.tandem.broker.config;

import io.tandem.process.config.ConfigLine;
import io.tandem.process.config.Values;
import java.util.Locale;

/**
 * A listening or peer address written as {@code scheme://host:port}. Port 0 asks the operating
 * system for a free port (useful in tests; the bound port is reported in logs and {@code /state}).
 */
public record Endpoint(String scheme, String host, int port) {

  static Endpoint parse(String text, String expectedScheme, ConfigLine at) {
    return parse(text, java.util.List.of(expectedScheme), at);
  }

  /** Parses {@code text} with one of {@code schemes}, e.g. {@code amqp} or {@code amqps}. */
  static Endpoint parse(String text, java.util.List<String> schemes, ConfigLine at) {
    String t = text.strip();
    String expectedScheme = schemes.get(0);
    for (String scheme : schemes) {
      if (t.toLowerCase(Locale.ROOT).startsWith(scheme + "://")) {
        expectedScheme = scheme;
      }
    }
    String prefix = expectedScheme + "://";
    if (!t.toLowerCase(Locale.ROOT).startsWith(prefix)) {
      throw at.error(
          "'"
              + text
              + "' must look like "
              + String.join(" or ", schemes.stream().map(x -> x + "://host:port").toList()));
    }
    String rest = t.substring(prefix.length());
    if (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    int colon = rest.lastIndexOf(':');
    if (colon <= 0 || colon == rest.length() - 1) {
      throw at.error("'" + text + "' must name a host and a port, like " + prefix + "host:port");
    }
    String host = rest.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = Values.intInRange(rest.substring(colon + 1), at, 0, 65535);
    return new Endpoint(expectedScheme, host, port);
  }

  @Override
  public String toString() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return scheme + "://" + h + ":" + port;
  }
}
