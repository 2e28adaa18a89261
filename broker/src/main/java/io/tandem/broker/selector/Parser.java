package io.tandem.broker.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

// The JMS selector grammar, lowest precedence first:
//
//   selector       = or END
//   or             = and { OR and }
//   and            = not { AND not }
//   not            = NOT not | comparison
//   comparison     = additive [ ( '=' | '<>' | '<' | '<=' | '>' | '>=' ) additive
//                             | [ NOT ] BETWEEN additive AND additive
//                             | [ NOT ] IN '(' STRING { ',' STRING } ')'
//                             | [ NOT ] LIKE STRING [ ESCAPE STRING ]
//                             | IS [ NOT ] NULL ]
//   additive       = multiplicative { ( '+' | '-' ) multiplicative }
//   multiplicative = unary { ( '*' | '/' ) unary }
//   unary          = ( '+' | '-' ) unary | primary
//   primary        = IDENTIFIER | STRING | number | TRUE | FALSE | '(' or ')'
//
// Repetition is parsed by loops into flat nodes; only parentheses, NOT and signs recurse, and each
// of those counts towards MAX_DEPTH, so hostile input fails with an error instead of exhausting
// the stack.
final class Parser {

  static final int MAX_LENGTH = 64 * 1024;
  static final int MAX_DEPTH = 200;

  private final String text;
  private final Lexer lexer;
  private Token current;
  private int depth;

  private Parser(String text) {
    this.text = text;
    this.lexer = new Lexer(text);
  }

  static Expression parse(String text) {
    Parser parser = new Parser(text);
    parser.advance();
    return parser.selector();
  }

  private Expression selector() {
    Token start = current;
    Expression condition = or();
    if (current.kind() != TokenKind.END) {
      throw expected(
          condition.kind() == Expression.Kind.BOOLEAN
              ? "AND, OR or end of input"
              : "an operator or end of input");
    }
    return requireCondition(condition, start);
  }

  private Expression or() {
    Token start = current;
    Expression first = and();
    if (current.kind() != TokenKind.OR) {
      return first;
    }
    List<Expression> operands = new ArrayList<>();
    operands.add(requireCondition(first, start));
    while (accept(TokenKind.OR)) {
      start = current;
      operands.add(requireCondition(and(), start));
    }
    return Logic.or(operands);
  }

  private Expression and() {
    Token start = current;
    Expression first = not();
    if (current.kind() != TokenKind.AND) {
      return first;
    }
    List<Expression> operands = new ArrayList<>();
    operands.add(requireCondition(first, start));
    while (accept(TokenKind.AND)) {
      start = current;
      operands.add(requireCondition(not(), start));
    }
    return Logic.and(operands);
  }

  private Expression not() {
    if (current.kind() != TokenKind.NOT) {
      return comparison();
    }
    enter();
    Token start = current;
    Expression operand = requireCondition(not(), start);
    leave();
    return Logic.not(operand);
  }

  private Expression comparison() {
    Expression left = additive();
    Comparison.Operator operator = comparisonOperator(current.kind());
    if (operator != null) {
      advance();
      return new Comparison(operator, left, additive());
    }
    switch (current.kind()) {
      case IS:
        advance();
        return isNull(left);
      case NOT:
        advance();
        if (!isNegatable(current.kind())) {
          throw expected("BETWEEN, LIKE or IN");
        }
        return predicate(left, true);
      default:
        return isNegatable(current.kind()) ? predicate(left, false) : left;
    }
  }

  private static Comparison.Operator comparisonOperator(TokenKind kind) {
    switch (kind) {
      case EQUAL:
        return Comparison.Operator.EQUAL;
      case NOT_EQUAL:
        return Comparison.Operator.NOT_EQUAL;
      case LESS:
        return Comparison.Operator.LESS;
      case LESS_OR_EQUAL:
        return Comparison.Operator.LESS_OR_EQUAL;
      case GREATER:
        return Comparison.Operator.GREATER;
      case GREATER_OR_EQUAL:
        return Comparison.Operator.GREATER_OR_EQUAL;
      default:
        return null;
    }
  }

  private static boolean isNegatable(TokenKind kind) {
    return kind == TokenKind.BETWEEN || kind == TokenKind.LIKE || kind == TokenKind.IN;
  }

  private Expression predicate(Expression value, boolean negated) {
    TokenKind kind = current.kind();
    advance();
    if (kind == TokenKind.BETWEEN) {
      Expression low = additive();
      expect(TokenKind.AND, "AND");
      return new Between(value, low, additive(), negated);
    }
    return kind == TokenKind.LIKE ? like(value, negated) : in(value, negated);
  }

  private Expression like(Expression value, boolean negated) {
    Token pattern = expect(TokenKind.STRING, "a string pattern");
    int escape = LikePattern.NO_ESCAPE;
    if (accept(TokenKind.ESCAPE)) {
      Token escapeToken = current;
      String escapeText = expect(TokenKind.STRING, "a string escape character").text();
      if (escapeText.codePointCount(0, escapeText.length()) != 1) {
        throw SelectorException.syntax(
            text,
            escapeToken.start(),
            "expected a single escape character but found " + escapeToken.describe());
      }
      escape = escapeText.codePointAt(0);
    }
    try {
      return new Like(value, LikePattern.compile(pattern.text(), escape), negated);
    } catch (IllegalArgumentException e) {
      throw SelectorException.syntax(
          text, pattern.start(), "invalid LIKE pattern: " + e.getMessage());
    }
  }

  private Expression in(Expression value, boolean negated) {
    expect(TokenKind.OPEN, "'('");
    List<String> members = new ArrayList<>();
    do {
      members.add(expect(TokenKind.STRING, "a string literal").text());
    } while (accept(TokenKind.COMMA));
    expect(TokenKind.CLOSE, "',' or ')'");
    return new InList(value, Set.copyOf(members), negated);
  }

  private Expression isNull(Expression value) {
    boolean negated = accept(TokenKind.NOT);
    expect(TokenKind.NULL, negated ? "NULL" : "NOT or NULL");
    return new IsNull(value, negated);
  }

  private Expression additive() {
    Expression first = multiplicative();
    if (current.kind() != TokenKind.PLUS && current.kind() != TokenKind.MINUS) {
      return first;
    }
    List<Expression> operands = new ArrayList<>();
    List<Arithmetic.Operator> operators = new ArrayList<>();
    operands.add(first);
    while (current.kind() == TokenKind.PLUS || current.kind() == TokenKind.MINUS) {
      operators.add(
          current.kind() == TokenKind.PLUS
              ? Arithmetic.Operator.ADD
              : Arithmetic.Operator.SUBTRACT);
      advance();
      operands.add(multiplicative());
    }
    return new Arithmetic(operands, operators);
  }

  private Expression multiplicative() {
    Expression first = unary();
    if (current.kind() != TokenKind.TIMES && current.kind() != TokenKind.DIVIDE) {
      return first;
    }
    List<Expression> operands = new ArrayList<>();
    List<Arithmetic.Operator> operators = new ArrayList<>();
    operands.add(first);
    while (current.kind() == TokenKind.TIMES || current.kind() == TokenKind.DIVIDE) {
      operators.add(
          current.kind() == TokenKind.TIMES
              ? Arithmetic.Operator.MULTIPLY
              : Arithmetic.Operator.DIVIDE);
      advance();
      operands.add(unary());
    }
    return new Arithmetic(operands, operators);
  }

  private Expression unary() {
    TokenKind sign = current.kind();
    if (sign != TokenKind.PLUS && sign != TokenKind.MINUS) {
      return primary();
    }
    enter();
    Expression result;
    if (sign == TokenKind.MINUS && current.kind() == TokenKind.EXACT_NUMBER) {
      // Folded here so that -9223372036854775808, whose magnitude is no long, is accepted.
      result = NumberLiterals.exact(text, current, true);
      advance();
    } else {
      Expression operand = unary();
      result = sign == TokenKind.MINUS ? Arithmetic.negate(operand) : Arithmetic.plus(operand);
    }
    leave();
    return result;
  }

  private Expression primary() {
    Token token = current;
    switch (token.kind()) {
      case IDENTIFIER:
        advance();
        return new Identifier(token.text());
      case STRING:
        advance();
        return new Literal(token.text());
      case EXACT_NUMBER:
        advance();
        return NumberLiterals.exact(text, token, false);
      case APPROXIMATE_NUMBER:
        advance();
        return NumberLiterals.approximate(text, token);
      case TRUE:
      case FALSE:
        advance();
        return new Literal(token.kind() == TokenKind.TRUE);
      case OPEN:
        return parenthesized();
      default:
        throw expected("an expression");
    }
  }

  private Expression parenthesized() {
    enter();
    Expression inner = or();
    if (current.kind() != TokenKind.CLOSE) {
      throw expected(
          inner.kind() == Expression.Kind.BOOLEAN ? "AND, OR or ')'" : "an operator or ')'");
    }
    advance();
    leave();
    return inner;
  }

  private Expression requireCondition(Expression expression, Token start) {
    Expression.Kind kind = expression.kind();
    if (kind != Expression.Kind.BOOLEAN && kind != Expression.Kind.ANY) {
      throw SelectorException.syntax(
          text, start.start(), "expected a condition but found " + kind.description());
    }
    return expression;
  }

  // Also consumes the token that opens the level, so the error can point at it.
  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw SelectorException.limit(
          text,
          current.start(),
          "nesting is deeper than " + MAX_DEPTH + " levels of parentheses, NOT and signs");
    }
    advance();
  }

  private void leave() {
    depth--;
  }

  private void advance() {
    current = lexer.next();
  }

  private boolean accept(TokenKind kind) {
    if (current.kind() != kind) {
      return false;
    }
    advance();
    return true;
  }

  private Token expect(TokenKind kind, String what) {
    Token token = current;
    if (!accept(kind)) {
      throw expected(what);
    }
    return token;
  }

  private SelectorException expected(String what) {
    return SelectorException.syntax(
        text, current.start(), "expected " + what + " but found " + current.describe());
  }
}
