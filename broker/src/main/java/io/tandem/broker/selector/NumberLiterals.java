package io.tandem.broker.selector;

// Hexadecimal (0x1F), octal with a leading zero (017) and the L, d and f suffixes are accepted
// because ActiveMQ and Artemis accept them and clients move between brokers.
final class NumberLiterals {

  private NumberLiterals() {}

  static Literal exact(String selector, Token token, boolean negative) {
    String digits = token.text();
    if (digits.endsWith("l") || digits.endsWith("L")) {
      digits = digits.substring(0, digits.length() - 1);
    }
    int radix = 10;
    if (digits.startsWith("0x") || digits.startsWith("0X")) {
      radix = 16;
      digits = digits.substring(2);
    } else if (digits.length() > 1 && digits.charAt(0) == '0') {
      radix = 8;
      digits = digits.substring(1);
      if (!digits.chars().allMatch(c -> c >= '0' && c <= '7')) {
        throw SelectorException.syntax(
            selector,
            token.start(),
            "malformed octal number '" + Token.printable(token.text()) + "'");
      }
    }
    try {
      return new Literal(Long.parseLong(negative ? "-" + digits : digits, radix));
    } catch (NumberFormatException e) {
      throw SelectorException.syntax(
          selector, token.start(), "number " + Token.printable(token.text()) + " is out of range");
    }
  }

  static Literal approximate(String selector, Token token) {
    String digits = token.text();
    char last = digits.charAt(digits.length() - 1);
    double value =
        last == 'f' || last == 'F' ? Float.parseFloat(digits) : Double.parseDouble(digits);
    if (Double.isInfinite(value)) {
      throw SelectorException.syntax(
          selector, token.start(), "number " + Token.printable(token.text()) + " is out of range");
    }
    return new Literal(value);
  }
}
