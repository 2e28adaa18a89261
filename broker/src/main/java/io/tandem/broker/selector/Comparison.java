package io.tandem.broker.selector;

record Comparison(Operator operator, Expression left, Expression right) implements Expression {

  enum Operator {
    EQUAL,
    NOT_EQUAL,
    LESS,
    LESS_OR_EQUAL,
    GREATER,
    GREATER_OR_EQUAL;

    boolean isOrdering() {
      return this != EQUAL && this != NOT_EQUAL;
    }

    boolean test(long a, long b) {
      switch (this) {
        case EQUAL:
          return a == b;
        case NOT_EQUAL:
          return a != b;
        case LESS:
          return a < b;
        case LESS_OR_EQUAL:
          return a <= b;
        case GREATER:
          return a > b;
        default:
          return a >= b;
      }
    }

    // Primitive operators rather than Double.compare, so NaN and -0.0 behave as in Java.
    boolean test(double a, double b) {
      switch (this) {
        case EQUAL:
          return a == b;
        case NOT_EQUAL:
          return a != b;
        case LESS:
          return a < b;
        case LESS_OR_EQUAL:
          return a <= b;
        case GREATER:
          return a > b;
        default:
          return a >= b;
      }
    }
  }

  @Override
  public Object evaluate(PropertySource source) {
    Object leftValue = left.evaluate(source);
    if (leftValue == null) {
      return null;
    }
    return compare(operator, leftValue, right.evaluate(source));
  }

  @Override
  public Kind kind() {
    return Kind.BOOLEAN;
  }

  static Boolean compare(Operator operator, Object left, Object right) {
    if (left == null || right == null) {
      return null;
    }
    if (Values.isExact(left) && Values.isExact(right)) {
      return operator.test(((Number) left).longValue(), ((Number) right).longValue());
    }
    if (Values.isNumeric(left) && Values.isNumeric(right)) {
      return operator.test(((Number) left).doubleValue(), ((Number) right).doubleValue());
    }
    boolean alike =
        (left instanceof String && right instanceof String)
            || (left instanceof Boolean && right instanceof Boolean);
    if (!alike || operator.isOrdering()) {
      return Boolean.FALSE;
    }
    return left.equals(right) == (operator == Operator.EQUAL);
  }
}
