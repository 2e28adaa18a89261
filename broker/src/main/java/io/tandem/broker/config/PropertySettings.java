package io.tandem.broker.config;

import io.tandem.process.config.ConfigLine;
import io.tandem.process.config.Values;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/** The properties one destination line sets; {@code null} means "not set on this line". */
record PropertySettings(
    Boolean failsafe,
    Long maxBytes,
    Long maxMsgs,
    OverflowPolicy overflowPolicy,
    Integer maxRedelivery,
    Duration expiration,
    Boolean secure) {

  static PropertySettings parse(String text, ConfigLine at) {
    Boolean failsafe = null;
    Long maxBytes = null;
    Long maxMsgs = null;
    OverflowPolicy policy = null;
    Integer maxRedelivery = null;
    Duration expiration = null;
    Boolean secure = null;
    for (String raw : text.split(",")) {
      String prop = raw.strip();
      if (prop.isEmpty()) {
        continue;
      }
      int eq = prop.indexOf('=');
      String name = eq < 0 ? prop : prop.substring(0, eq).strip();
      String value = eq < 0 ? null : prop.substring(eq + 1).strip();
      switch (name) {
        case "failsafe" -> failsafe = flag(name, value, at);
        case "secure" -> secure = flag(name, value, at);
        case "maxbytes" -> maxBytes = Values.size(required(name, value, at), at);
        case "maxmsgs" -> maxMsgs = Values.number(required(name, value, at), at, "a count");
        case "overflowPolicy" -> policy = OverflowPolicy.parse(required(name, value, at), at);
        case "maxRedelivery" -> maxRedelivery = redelivery(required(name, value, at), at);
        case "expiration" ->
            expiration = Values.time(required(name, value, at), at, ChronoUnit.SECONDS);
        default ->
            throw at.error(
                "unknown destination property '"
                    + name
                    + "' (known: failsafe, maxbytes, maxmsgs, overflowPolicy, maxRedelivery,"
                    + " expiration, secure)");
      }
    }
    return new PropertySettings(
        failsafe, maxBytes, maxMsgs, policy, maxRedelivery, expiration, secure);
  }

  private static Boolean flag(String name, String value, ConfigLine at) {
    if (value != null) {
      throw at.error("property '" + name + "' takes no value");
    }
    return Boolean.TRUE;
  }

  private static String required(String name, String value, ConfigLine at) {
    if (value == null || value.isEmpty()) {
      throw at.error("property '" + name + "' needs a value, like " + name + "=...");
    }
    return value;
  }

  private static int redelivery(String value, ConfigLine at) {
    int n = Values.intInRange(value, at, 0, 255);
    return n;
  }
}
