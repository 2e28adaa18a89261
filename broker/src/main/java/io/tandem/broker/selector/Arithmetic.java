package io.tandem.broker.selector;

import java.util.List;

// Chains are held flat rather than as nested binary nodes so that a selector such as
// "a + a + ... + a" cannot make evaluation recurse deeply. Exact values are computed as long
// (overflow wraps, as in Java) and mixed ones as double.
final class Arithmetic implements Expression {

  enum Operator {
    ADD,
    SUBTRACT,
    MULTIPLY,
    DIVIDE
  }

  private final Expression[] operands;
  private final Operator[] operators;

  Arithmetic(List<Expression> operands, List<Operator> operators) {
    this.operands = operands.toArray(new Expression[0]);
    this.operators = operators.toArray(new Operator[0]);
  }

  @Override
  public Object evaluate(PropertySource source) {
    Object result = operands[0].evaluate(source);
    for (int i = 0; i < operators.length && result != null; i++) {
      result = apply(operators[i], result, operands[i + 1].evaluate(source));
    }
    return result;
  }

  @Override
  public Kind kind() {
    return Kind.NUMERIC;
  }

  private static Object apply(Operator operator, Object left, Object right) {
    if (Values.isExact(left) && Values.isExact(right)) {
      return exact(operator, ((Number) left).longValue(), ((Number) right).longValue());
    }
    if (Values.isNumeric(left) && Values.isNumeric(right)) {
      return approximate(operator, ((Number) left).doubleValue(), ((Number) right).doubleValue());
    }
    return null;
  }

  private static Long exact(Operator operator, long a, long b) {
    switch (operator) {
      case ADD:
        return a + b;
      case SUBTRACT:
        return a - b;
      case MULTIPLY:
        return a * b;
      default:
        return b == 0 ? null : a / b;
    }
  }

  private static Double approximate(Operator operator, double a, double b) {
    switch (operator) {
      case ADD:
        return a + b;
      case SUBTRACT:
        return a - b;
      case MULTIPLY:
        return a * b;
      default:
        return a / b;
    }
  }

  static Expression negate(Expression operand) {
    if (operand instanceof Literal && Values.isNumeric(((Literal) operand).value())) {
      return new Literal(negateValue(((Literal) operand).value()));
    }
    return new Sign(operand, true);
  }

  // Unary plus is kept for non-literals because it still turns a non-number into NULL.
  static Expression plus(Expression operand) {
    if (operand instanceof Literal && Values.isNumeric(((Literal) operand).value())) {
      return operand;
    }
    return new Sign(operand, false);
  }

  private static Object negateValue(Object value) {
    if (Values.isExact(value)) {
      return -((Number) value).longValue();
    }
    return Values.isApproximate(value) ? -((Number) value).doubleValue() : null;
  }

  private record Sign(Expression operand, boolean negative) implements Expression {
    @Override
    public Object evaluate(PropertySource source) {
      Object value = operand.evaluate(source);
      if (negative) {
        return negateValue(value);
      }
      return Values.isNumeric(value) ? value : null;
    }

    @Override
    public Kind kind() {
      return Kind.NUMERIC;
    }
  }
}
