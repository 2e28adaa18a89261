package io.tandem.broker.selector;

import java.util.List;

final class Logic {

  private Logic() {}

  static Expression and(List<Expression> operands) {
    return new And(operands.toArray(new Expression[0]));
  }

  static Expression or(List<Expression> operands) {
    return new Or(operands.toArray(new Expression[0]));
  }

  static Expression not(Expression operand) {
    return new Not(operand);
  }

  static Boolean not(Boolean value) {
    return value == null ? null : Boolean.valueOf(!value);
  }

  static Boolean and(Boolean left, Boolean right) {
    if (Boolean.FALSE.equals(left) || Boolean.FALSE.equals(right)) {
      return Boolean.FALSE;
    }
    return left == null || right == null ? null : Boolean.TRUE;
  }

  static Boolean or(Boolean left, Boolean right) {
    if (Boolean.TRUE.equals(left) || Boolean.TRUE.equals(right)) {
      return Boolean.TRUE;
    }
    return left == null || right == null ? null : Boolean.FALSE;
  }

  // Chains are held flat so that a long chain cannot make evaluation recurse deeply.
  private static final class And implements Expression {
    private final Expression[] operands;

    And(Expression[] operands) {
      this.operands = operands;
    }

    @Override
    public Object evaluate(PropertySource source) {
      boolean unknown = false;
      for (Expression operand : operands) {
        Boolean value = Values.asCondition(operand.evaluate(source));
        if (value == null) {
          unknown = true;
        } else if (!value) {
          return Boolean.FALSE;
        }
      }
      return unknown ? null : Boolean.TRUE;
    }

    @Override
    public Kind kind() {
      return Kind.BOOLEAN;
    }
  }

  private static final class Or implements Expression {
    private final Expression[] operands;

    Or(Expression[] operands) {
      this.operands = operands;
    }

    @Override
    public Object evaluate(PropertySource source) {
      boolean unknown = false;
      for (Expression operand : operands) {
        Boolean value = Values.asCondition(operand.evaluate(source));
        if (value == null) {
          unknown = true;
        } else if (value) {
          return Boolean.TRUE;
        }
      }
      return unknown ? null : Boolean.FALSE;
    }

    @Override
    public Kind kind() {
      return Kind.BOOLEAN;
    }
  }

  private record Not(Expression operand) implements Expression {
    @Override
    public Object evaluate(PropertySource source) {
      return not(Values.asCondition(operand.evaluate(source)));
    }

    @Override
    public Kind kind() {
      return Kind.BOOLEAN;
    }
  }
}
