package io.tandem.broker.selector;

import java.util.Locale;
import java.util.Map;

final class Lexer {

  private static final int LONGEST_KEYWORD = "BETWEEN".length();
  private static final Map<String, TokenKind> KEYWORDS =
      Map.ofEntries(
          Map.entry("NOT", TokenKind.NOT),
          Map.entry("AND", TokenKind.AND),
          Map.entry("OR", TokenKind.OR),
          Map.entry("BETWEEN", TokenKind.BETWEEN),
          Map.entry("LIKE", TokenKind.LIKE),
          Map.entry("IN", TokenKind.IN),
          Map.entry("IS", TokenKind.IS),
          Map.entry("NULL", TokenKind.NULL),
          Map.entry("ESCAPE", TokenKind.ESCAPE),
          Map.entry("TRUE", TokenKind.TRUE),
          Map.entry("FALSE", TokenKind.FALSE));

  private final String text;
  private int position;

  Lexer(String text) {
    this.text = text;
  }

  // SQL-92 white space only, as other brokers do; anything else is part of a token.
  static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
  }

  static boolean isBlank(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (!isWhitespace(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  Token next() {
    while (position < text.length() && isWhitespace(text.charAt(position))) {
      position++;
    }
    if (position >= text.length()) {
      return new Token(TokenKind.END, "", position);
    }
    char c = text.charAt(position);
    if (c == '\'') {
      return string();
    }
    if (isDigit(c) || (c == '.' && position + 1 < text.length() && isDigit(peek(1)))) {
      return number();
    }
    if (Character.isJavaIdentifierStart(text.codePointAt(position))) {
      return word();
    }
    return symbol(c);
  }

  private Token string() {
    int start = position++;
    StringBuilder value = new StringBuilder();
    while (true) {
      if (position >= text.length()) {
        throw SelectorException.syntax(text, start, "unterminated string literal");
      }
      char c = text.charAt(position++);
      if (c == '\'') {
        if (position >= text.length() || text.charAt(position) != '\'') {
          return new Token(TokenKind.STRING, value.toString(), start);
        }
        position++;
      }
      value.append(c);
    }
  }

  private Token number() {
    int start = position;
    if (text.charAt(position) == '0' && (peek(1) == 'x' || peek(1) == 'X')) {
      position += 2;
      if (skipWhile(Lexer::isHexDigit) == 0) {
        throw malformedNumber(start);
      }
      skipSuffix("lL");
      return numberToken(TokenKind.EXACT_NUMBER, start);
    }
    skipWhile(Lexer::isDigit);
    boolean approximate = false;
    if (peek(0) == '.') {
      approximate = true;
      position++;
      skipWhile(Lexer::isDigit);
    }
    if (peek(0) == 'e' || peek(0) == 'E') {
      approximate = true;
      position++;
      skipSuffix("+-");
      if (skipWhile(Lexer::isDigit) == 0) {
        throw malformedNumber(start);
      }
    }
    if (skipSuffix("dDfF")) {
      approximate = true;
    } else if (!approximate) {
      skipSuffix("lL");
    }
    return numberToken(approximate ? TokenKind.APPROXIMATE_NUMBER : TokenKind.EXACT_NUMBER, start);
  }

  private Token numberToken(TokenKind kind, int start) {
    // "12abc" or "1.5.2" is one mistake, not a number followed by something else.
    if (position < text.length()
        && (peek(0) == '.' || Character.isJavaIdentifierPart(text.codePointAt(position)))) {
      throw malformedNumber(start);
    }
    return new Token(kind, text.substring(start, position), start);
  }

  private SelectorException malformedNumber(int start) {
    int end = position;
    while (end < text.length()
        && (text.charAt(end) == '.' || Character.isJavaIdentifierPart(text.charAt(end)))) {
      end++;
    }
    String shown = Token.printable(text.substring(start, end));
    return SelectorException.syntax(text, start, "malformed number '" + shown + "'");
  }

  private Token word() {
    int start = position;
    position += Character.charCount(text.codePointAt(position));
    while (position < text.length()) {
      int cp = text.codePointAt(position);
      if (!Character.isJavaIdentifierPart(cp) || Character.isIdentifierIgnorable(cp)) {
        break;
      }
      position += Character.charCount(cp);
    }
    String word = text.substring(start, position);
    TokenKind keyword = keyword(word);
    return new Token(keyword == null ? TokenKind.IDENTIFIER : keyword, word, start);
  }

  private static TokenKind keyword(String word) {
    // Only ASCII spellings are keywords: Unicode case folding would make "ın" mean IN.
    if (word.length() > LONGEST_KEYWORD || !word.chars().allMatch(c -> c < 0x80)) {
      return null;
    }
    return KEYWORDS.get(word.toUpperCase(Locale.ROOT));
  }

  private Token symbol(char c) {
    int start = position++;
    switch (c) {
      case '=':
        return new Token(TokenKind.EQUAL, "=", start);
      case '<':
        if (skipSuffix("=")) {
          return new Token(TokenKind.LESS_OR_EQUAL, "<=", start);
        }
        return skipSuffix(">")
            ? new Token(TokenKind.NOT_EQUAL, "<>", start)
            : new Token(TokenKind.LESS, "<", start);
      case '>':
        return skipSuffix("=")
            ? new Token(TokenKind.GREATER_OR_EQUAL, ">=", start)
            : new Token(TokenKind.GREATER, ">", start);
      case '+':
        return new Token(TokenKind.PLUS, "+", start);
      case '-':
        return new Token(TokenKind.MINUS, "-", start);
      case '*':
        return new Token(TokenKind.TIMES, "*", start);
      case '/':
        return new Token(TokenKind.DIVIDE, "/", start);
      case '(':
        return new Token(TokenKind.OPEN, "(", start);
      case ')':
        return new Token(TokenKind.CLOSE, ")", start);
      case ',':
        return new Token(TokenKind.COMMA, ",", start);
      default:
        throw unexpected(c, start);
    }
  }

  private SelectorException unexpected(char c, int start) {
    if (c == '!' && peek(0) == '=') {
      return SelectorException.syntax(text, start, "'!=' is not an operator; use '<>'");
    }
    if (c == '"') {
      return SelectorException.syntax(
          text, start, "unexpected character '\"'; string literals use single quotes");
    }
    StringBuilder shown = new StringBuilder();
    int cp = text.codePointAt(start);
    if (Character.isSupplementaryCodePoint(cp)) {
      shown.append(Character.toChars(cp));
    } else {
      SelectorException.appendPrintable(shown, c);
    }
    return SelectorException.syntax(text, start, "unexpected character '" + shown + "'");
  }

  private char peek(int ahead) {
    int at = position + ahead;
    return at < text.length() ? text.charAt(at) : '\0';
  }

  private boolean skipSuffix(String accepted) {
    if (position < text.length() && accepted.indexOf(text.charAt(position)) >= 0) {
      position++;
      return true;
    }
    return false;
  }

  private int skipWhile(CharPredicate predicate) {
    int start = position;
    while (position < text.length() && predicate.test(text.charAt(position))) {
      position++;
    }
    return position - start;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHexDigit(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  @FunctionalInterface
  private interface CharPredicate {
    boolean test(char c);
  }
}
