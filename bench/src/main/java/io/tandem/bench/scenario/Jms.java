package io.tandem.bench.scenario;

import io.tandem.bench.BenchException;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import java.util.Random;
import org.apache.qpid.jms.JmsConnectionFactory;

/**
 * The one client configuration used against both brokers. Every blocking call has a time limit, so
 * a broker that stops answering fails the run instead of hanging it.
 */
final class Jms {
  /** Message body size: 1 KB. */
  static final int SIZE = 1024;

  static final String LIMITS =
      "jms.sendTimeout=60000&jms.requestTimeout=60000&jms.connectTimeout=15000"
          + "&jms.closeTimeout=15000";

  private static final byte[] BODY = new byte[SIZE];

  static {
    new Random(42).nextBytes(BODY);
  }

  private Jms() {}

  /** A connection to {@code url}, started. */
  static Connection connect(String url) {
    return connect(url, null);
  }

  /** A connection with a client id (for durable subscriptions), started. */
  static Connection connect(String url, String clientId) {
    try {
      Connection c =
          new JmsConnectionFactory(url + (url.contains("?") ? "&" : "?") + LIMITS)
              .createConnection();
      if (clientId != null) {
        c.setClientID(clientId);
      }
      c.start();
      return c;
    } catch (JMSException e) {
      throw failed("cannot connect to " + url, e);
    }
  }

  /** A client-side failover URL over both members of a pair, retrying every 50 ms. */
  static String failoverUrl(String a, String b) {
    return "failover:("
        + a
        + ","
        + b
        + ")?failover.initialReconnectDelay=0&failover.reconnectDelay=50"
        + "&failover.useReconnectBackOff=false&failover.maxReconnectAttempts=600";
  }

  /** A 1 KB bytes message. */
  static BytesMessage message(Session session) throws JMSException {
    BytesMessage m = session.createBytesMessage();
    m.writeBytes(BODY);
    return m;
  }

  static void close(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      // closing after the measurement; a failure here changes no figure
    }
  }

  static BenchException failed(String what, Exception e) {
    return new BenchException(BenchException.Category.FAILED, what + ": " + e, e);
  }
}
