package io.tandem.broker.selector;

import java.util.Set;

record InList(Expression value, Set<String> members, boolean negated) implements Expression {

  @Override
  public Object evaluate(PropertySource source) {
    Object v = value.evaluate(source);
    if (!(v instanceof String)) {
      return null;
    }
    return members.contains(v) != negated;
  }

  @Override
  public Kind kind() {
    return Kind.BOOLEAN;
  }
}
