package io.tandem.broker.selector;

record Identifier(String name) implements Expression {

  @Override
  public Object evaluate(PropertySource source) {
    Object value = source.get(name);
    return Values.isSupported(value) ? value : null;
  }

  @Override
  public Kind kind() {
    return Kind.ANY;
  }
}
