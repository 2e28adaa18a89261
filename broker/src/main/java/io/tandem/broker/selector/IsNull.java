package io.tandem.broker.selector;

// The one predicate that is never unknown.
record IsNull(Expression value, boolean negated) implements Expression {

  @Override
  public Object evaluate(PropertySource source) {
    return (value.evaluate(source) == null) != negated;
  }

  @Override
  public Kind kind() {
    return Kind.BOOLEAN;
  }
}
