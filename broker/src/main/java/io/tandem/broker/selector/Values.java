package io.tandem.broker.selector;

final class Values {

  private Values() {}

  static boolean isExact(Object value) {
    return value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte;
  }

  static boolean isApproximate(Object value) {
    return value instanceof Double || value instanceof Float;
  }

  static boolean isNumeric(Object value) {
    return isExact(value) || isApproximate(value);
  }

  // Types outside the JMS property types count as NULL rather than failing the evaluation.
  static boolean isSupported(Object value) {
    return value instanceof String || value instanceof Boolean || isNumeric(value);
  }

  static Boolean asCondition(Object value) {
    return value instanceof Boolean ? (Boolean) value : null;
  }
}
