package io.tandem.broker.selector;

record Literal(Object value) implements Expression {

  @Override
  public Object evaluate(PropertySource source) {
    return value;
  }

  @Override
  public Kind kind() {
    if (value instanceof Boolean) {
      return Kind.BOOLEAN;
    }
    return value instanceof String ? Kind.STRING : Kind.NUMERIC;
  }
}
