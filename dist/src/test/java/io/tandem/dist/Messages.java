package io.tandem.dist;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.qpid.jms.JmsConnectionFactory;

/** A message through the broker with Qpid JMS, the supported JMS client. */
final class Messages {
  private Messages() {}

  /**
   * Sends {@code body} persistently to {@code queue} (the send returns once it is stored) and
   * receives it back; the body received, or null if none came within 10 s.
   */
  static String roundTrip(String url, String queue, String body) throws JMSException {
    Connection c = new JmsConnectionFactory(url).createConnection();
    try {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer p = s.createProducer(s.createQueue(queue));
      p.setDeliveryMode(DeliveryMode.PERSISTENT);
      p.send(s.createTextMessage(body));
      TextMessage m = (TextMessage) s.createConsumer(s.createQueue(queue)).receive(10_000);
      return m == null ? null : m.getText();
    } finally {
      c.close();
    }
  }
}
