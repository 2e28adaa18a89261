package io.tandem.broker.selector;

import io.tandem.broker.selector.Comparison.Operator;

// The specification defines BETWEEN as "v >= a AND v <= b" and NOT BETWEEN as "v < a OR v > b";
// evaluating those literally keeps their three-valued results, with v read only once.
record Between(Expression value, Expression low, Expression high, boolean negated)
    implements Expression {

  @Override
  public Object evaluate(PropertySource source) {
    Object v = value.evaluate(source);
    if (v == null) {
      return null;
    }
    Object lowValue = low.evaluate(source);
    Object highValue = high.evaluate(source);
    if (negated) {
      return Logic.or(
          Comparison.compare(Operator.LESS, v, lowValue),
          Comparison.compare(Operator.GREATER, v, highValue));
    }
    return Logic.and(
        Comparison.compare(Operator.GREATER_OR_EQUAL, v, lowValue),
        Comparison.compare(Operator.LESS_OR_EQUAL, v, highValue));
  }

  @Override
  public Kind kind() {
    return Kind.BOOLEAN;
  }
}
