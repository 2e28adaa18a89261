package io.tandem.broker.amqp;

import io.tandem.broker.BrokerException;
import io.tandem.broker.destination.LocalTransaction;
import java.util.logging.Logger;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.amqp.transaction.Declare;
import org.apache.qpid.proton.amqp.transaction.Declared;
import org.apache.qpid.proton.amqp.transaction.Discharge;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.message.Message;

/**
 * The transaction coordinator link: declares and discharges (commits or rolls back) transactions.
 */
final class CoordinatorLink implements LinkHandler {
  private static final Logger LOG = Logger.getLogger(CoordinatorLink.class.getName());
  private final AmqpConnection connection;
  private final Receiver receiver;

  CoordinatorLink(AmqpConnection connection, Receiver receiver) {
    this.connection = connection;
    this.receiver = receiver;
    receiver.setTarget(receiver.getRemoteTarget());
    receiver.setSource(receiver.getRemoteSource());
    receiver.open();
    receiver.flow(100);
  }

  @Override
  public void onDelivery(Delivery d) {
    if (d.isPartial()) {
      return;
    }
    byte[] data = new byte[d.pending()];
    receiver.recv(data, 0, data.length);
    receiver.advance();
    if (receiver.getCredit() < 50) {
      receiver.flow(100 - receiver.getCredit());
    }
    try {
      Message m = Message.Factory.create();
      m.decode(data, 0, data.length);
      Object body = m.getBody() instanceof AmqpValue v ? v.getValue() : null;
      if (body instanceof Declare) {
        Declared declared = new Declared();
        declared.setTxnId(connection.declareTransaction());
        done(d, declared);
      } else if (body instanceof Discharge discharge) {
        discharge(d, discharge);
      } else {
        reject(
            d,
            new BrokerException(
                BrokerException.Category.INVALID_INPUT,
                "coordinator expects declare or discharge"));
      }
    } catch (BrokerException e) {
      reject(d, e);
    } catch (RuntimeException e) {
      reject(
          d,
          new BrokerException(
              BrokerException.Category.INVALID_INPUT,
              "malformed coordinator message: " + e.getMessage()));
    }
  }

  private void discharge(Delivery d, Discharge discharge) {
    Binary id = discharge.getTxnId();
    LocalTransaction txn = connection.endTransaction(id);
    if (Boolean.TRUE.equals(discharge.getFail())) {
      txn.rollback();
      done(d, Accepted.getInstance());
      return;
    }
    txn.commit()
        .whenComplete(
            (ok, failure) ->
                connection
                    .io()
                    .execute(
                        () -> {
                          if (failure == null) {
                            done(d, Accepted.getInstance());
                          } else {
                            LOG.warning(
                                "commit failed: " + AmqpErrors.unwrap(failure).getMessage());
                            reject(d, commitFailure(AmqpErrors.unwrap(failure)));
                          }
                        }));
  }

  /**
   * A transaction that broke a limit (e.g. {@code max_txn_size}) keeps its {@code
   * amqp:resource-limit-exceeded}; any other failure is a plain rollback.
   */
  private static BrokerException commitFailure(Throwable cause) {
    if (cause instanceof BrokerException e
        && e.category() == BrokerException.Category.RESOURCE_LIMIT) {
      return e;
    }
    return new BrokerException(
        BrokerException.Category.UNKNOWN_TRANSACTION,
        "transaction rolled back: " + cause.getMessage());
  }

  private static void done(Delivery d, DeliveryState state) {
    d.disposition(state);
    d.settle();
  }

  private static void reject(Delivery d, Throwable failure) {
    Rejected r = new Rejected();
    r.setError(AmqpErrors.condition(failure));
    done(d, r);
  }

  @Override
  public void onClosed(boolean closedByPeer, boolean connectionLost) {
    // open transactions end with the connection
  }
}
