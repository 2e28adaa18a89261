package io.tandem.broker.selector;

enum TokenKind {
  IDENTIFIER,
  STRING,
  EXACT_NUMBER,
  APPROXIMATE_NUMBER,
  NOT("NOT"),
  AND("AND"),
  OR("OR"),
  BETWEEN("BETWEEN"),
  LIKE("LIKE"),
  IN("IN"),
  IS("IS"),
  NULL("NULL"),
  ESCAPE("ESCAPE"),
  TRUE("TRUE"),
  FALSE("FALSE"),
  EQUAL("'='"),
  NOT_EQUAL("'<>'"),
  LESS("'<'"),
  LESS_OR_EQUAL("'<='"),
  GREATER("'>'"),
  GREATER_OR_EQUAL("'>='"),
  PLUS("'+'"),
  MINUS("'-'"),
  TIMES("'*'"),
  DIVIDE("'/'"),
  OPEN("'('"),
  CLOSE("')'"),
  COMMA("','"),
  END("end of input");

  private final String description;

  TokenKind() {
    this.description = null;
  }

  TokenKind(String description) {
    this.description = description;
  }

  // Null for kinds whose text must be shown in an error message instead.
  String description() {
    return description;
  }

  boolean isKeyword() {
    return ordinal() >= NOT.ordinal() && ordinal() <= FALSE.ordinal();
  }
}
