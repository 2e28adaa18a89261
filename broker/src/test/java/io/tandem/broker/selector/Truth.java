package io.tandem.broker.selector;

// Observed through the public API only: a selector is true when it matches and false when its
// negation matches; otherwise it is unknown.
enum Truth {
  TRUE,
  FALSE,
  UNKNOWN;

  static Truth of(String selector, PropertySource message) {
    if (Selector.parse(selector).matches(message)) {
      return TRUE;
    }
    return Selector.parse("NOT (" + selector + ")").matches(message) ? FALSE : UNKNOWN;
  }
}
