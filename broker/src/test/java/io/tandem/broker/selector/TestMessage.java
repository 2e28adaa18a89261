package io.tandem.broker.selector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

final class TestMessage implements PropertySource {

  private final Map<String, Object> values = new HashMap<>();
  private final List<String> lookups = new ArrayList<>();

  static TestMessage empty() {
    return new TestMessage();
  }

  static TestMessage with(String identifier, Object value) {
    return new TestMessage().and(identifier, value);
  }

  TestMessage and(String identifier, Object value) {
    values.put(identifier, value);
    return this;
  }

  List<String> lookups() {
    return lookups;
  }

  @Override
  public Object get(String identifier) {
    lookups.add(identifier);
    return values.get(identifier);
  }
}
