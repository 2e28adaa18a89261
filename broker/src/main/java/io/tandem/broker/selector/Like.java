package io.tandem.broker.selector;

record Like(Expression value, LikePattern pattern, boolean negated) implements Expression {

  @Override
  public Object evaluate(PropertySource source) {
    Object v = value.evaluate(source);
    if (!(v instanceof String)) {
      return null;
    }
    return pattern.matches((String) v) != negated;
  }

  @Override
  public Kind kind() {
    return Kind.BOOLEAN;
  }
}
