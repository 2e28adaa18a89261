package io.tandem.broker.amqp;

import io.tandem.broker.BrokerException;
import io.tandem.broker.destination.DestinationKind;
import org.apache.qpid.proton.amqp.Symbol;

/**
 * A resolved AMQP address. The node kind comes from the terminus capabilities Qpid JMS sends
 * ({@code queue}, {@code topic}, {@code temporary-*}), else from a {@code queue://} or {@code
 * topic://} prefix, else it is a queue.
 */
record Address(DestinationKind kind, String name) {
  private static final String QUEUE_PREFIX = "queue://";
  private static final String TOPIC_PREFIX = "topic://";

  static Address resolve(String address, Symbol[] capabilities) {
    if (address == null || address.isEmpty()) {
      throw new BrokerException(BrokerException.Category.INVALID_INPUT, "no address given");
    }
    if (address.startsWith(QUEUE_PREFIX)) {
      return new Address(DestinationKind.QUEUE, address.substring(QUEUE_PREFIX.length()));
    }
    if (address.startsWith(TOPIC_PREFIX)) {
      return new Address(DestinationKind.TOPIC, address.substring(TOPIC_PREFIX.length()));
    }
    boolean topic =
        AmqpSymbols.contains(capabilities, AmqpSymbols.TOPIC)
            || AmqpSymbols.contains(capabilities, AmqpSymbols.TEMPORARY_TOPIC);
    return new Address(topic ? DestinationKind.TOPIC : DestinationKind.QUEUE, address);
  }

  /** Resolves a message's {@code to} with the Qpid JMS destination-type annotation. */
  static Address forMessage(String to, int destinationType) {
    if (to == null || to.isEmpty()) {
      throw new BrokerException(
          BrokerException.Category.INVALID_INPUT,
          "message sent on an anonymous link has no 'to' address");
    }
    return switch (destinationType) {
      case 1, 3 -> new Address(DestinationKind.TOPIC, strip(to));
      case 0, 2 -> new Address(DestinationKind.QUEUE, strip(to));
      default -> resolve(to, null);
    };
  }

  private static String strip(String to) {
    if (to.startsWith(QUEUE_PREFIX)) {
      return to.substring(QUEUE_PREFIX.length());
    }
    return to.startsWith(TOPIC_PREFIX) ? to.substring(TOPIC_PREFIX.length()) : to;
  }
}
