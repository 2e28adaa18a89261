package io.tandem.broker.selector;

// For a string, text is its value with the quotes removed; start is a char offset.
record Token(TokenKind kind, String text, int start) {

  private static final int SHOWN_CHARS = 40;

  String describe() {
    switch (kind) {
      case IDENTIFIER:
        return "identifier " + printable(text);
      case STRING:
        return "string '" + printable(text.replace("'", "''")) + "'";
      case EXACT_NUMBER:
      case APPROXIMATE_NUMBER:
        return "number " + printable(text);
      default:
        return kind.isKeyword() ? "keyword " + kind.description() : kind.description();
    }
  }

  static String printable(String text) {
    int shown = Math.min(text.length(), SHOWN_CHARS);
    StringBuilder out = new StringBuilder(shown + 8);
    for (int i = 0; i < shown; i++) {
      SelectorException.appendPrintable(out, text.charAt(i));
    }
    return shown < text.length() ? out.append("...").toString() : out.toString();
  }
}
