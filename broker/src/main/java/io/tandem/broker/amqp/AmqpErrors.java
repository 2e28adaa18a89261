package io.tandem.broker.amqp;

import io.tandem.broker.BrokerException;
import java.util.concurrent.CompletionException;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.transaction.TransactionErrors;
import org.apache.qpid.proton.amqp.transport.AmqpError;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;

/** Maps broker failures to the AMQP error conditions clients turn into JMS exceptions. */
final class AmqpErrors {
  private AmqpErrors() {}

  static ErrorCondition condition(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof BrokerException e) {
      return new ErrorCondition(symbol(e.category()), e.getMessage());
    }
    return new ErrorCondition(AmqpError.INTERNAL_ERROR, String.valueOf(t.getMessage()));
  }

  static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static Symbol symbol(BrokerException.Category category) {
    return switch (category) {
      case NOT_FOUND -> AmqpError.NOT_FOUND;
      case RESOURCE_LIMIT, DISK_FULL -> AmqpError.RESOURCE_LIMIT_EXCEEDED;
      case ILLEGAL_STATE -> AmqpError.ILLEGAL_STATE;
      case INVALID_INPUT -> AmqpError.INVALID_FIELD;
      case UNAUTHORIZED -> AmqpError.UNAUTHORIZED_ACCESS;
      case UNKNOWN_TRANSACTION -> TransactionErrors.TRANSACTION_ROLLBACK;
      default -> AmqpError.INTERNAL_ERROR;
    };
  }
}
