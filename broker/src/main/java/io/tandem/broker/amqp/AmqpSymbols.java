package io.tandem.broker.amqp;

import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.UnsignedLong;

/** The symbols of AMQP extensions that JMS clients (Qpid JMS) and this broker exchange. */
final class AmqpSymbols {
  static final Symbol QUEUE = Symbol.valueOf("queue");
  static final Symbol TOPIC = Symbol.valueOf("topic");
  static final Symbol TEMPORARY_QUEUE = Symbol.valueOf("temporary-queue");
  static final Symbol TEMPORARY_TOPIC = Symbol.valueOf("temporary-topic");
  static final Symbol SHARED = Symbol.valueOf("shared");
  static final Symbol GLOBAL = Symbol.valueOf("global");
  static final Symbol COPY = Symbol.valueOf("copy");
  static final Symbol ANONYMOUS_RELAY = Symbol.valueOf("ANONYMOUS-RELAY");
  static final Symbol SHARED_SUBS = Symbol.valueOf("SHARED-SUBS");
  static final Symbol SOLE_CONNECTION = Symbol.valueOf("sole-connection-for-container");
  static final Symbol CONNECTION_OPEN_FAILED =
      Symbol.valueOf("amqp:connection-establishment-failed");
  static final Symbol INVALID_FIELD = Symbol.valueOf("invalid-field");
  static final Symbol CONTAINER_ID = Symbol.valueOf("container-id");
  static final Symbol PRODUCT = Symbol.valueOf("product");
  static final Symbol VERSION = Symbol.valueOf("version");
  static final Symbol SELECTOR_FILTER = Symbol.valueOf("apache.org:selector-filter:string");
  static final UnsignedLong SELECTOR_FILTER_CODE = UnsignedLong.valueOf(0x0000468C00000004L);
  static final Symbol NO_LOCAL_FILTER = Symbol.valueOf("apache.org:no-local-filter:list");
  static final UnsignedLong NO_LOCAL_FILTER_CODE = UnsignedLong.valueOf(0x0000468C00000003L);
  static final Symbol MAX_MESSAGE_SIZE_EXCEEDED = Symbol.valueOf("amqp:link:message-size-exceeded");

  private AmqpSymbols() {}

  static boolean contains(Symbol[] symbols, Symbol wanted) {
    if (symbols == null) {
      return false;
    }
    for (Symbol s : symbols) {
      if (wanted.equals(s)) {
        return true;
      }
    }
    return false;
  }
}
