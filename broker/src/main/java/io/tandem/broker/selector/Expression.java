package io.tandem.broker.selector;

// Nodes never throw on the values they meet: a message whose properties do not fit a selector
// simply does not match it. null stands for both SQL NULL and the unknown truth value.
interface Expression {

  // Known at parse time, so that "a + 1" is refused where a condition is required.
  enum Kind {
    BOOLEAN("a boolean expression"),
    NUMERIC("a numeric expression"),
    STRING("a string"),
    ANY("an identifier");

    private final String description;

    Kind(String description) {
      this.description = description;
    }

    String description() {
      return description;
    }
  }

  Object evaluate(PropertySource source);

  Kind kind();
}
