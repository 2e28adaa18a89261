package io.tandem.pacemaker;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.List;
import org.apache.qpid.jms.JmsConnectionFactory;

/** Persistent messages through the broker with Qpid JMS, the supported JMS client. */
final class Messages {
  private Messages() {}

  /** Sends {@code prefix-from} .. {@code prefix-(to-1)}; each send waits until it is stored. */
  static void send(String url, String queue, String prefix, int from, int to) throws JMSException {
    Connection c = new JmsConnectionFactory(url).createConnection();
    try {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer p = s.createProducer(s.createQueue(queue));
      p.setDeliveryMode(DeliveryMode.PERSISTENT);
      for (int i = from; i < to; i++) {
        p.send(s.createTextMessage(prefix + "-" + i));
      }
    } finally {
      c.close();
    }
  }

  /** Receives up to {@code count} message bodies, waiting at most 5 s for each. */
  static List<String> receive(String url, String queue, int count) throws JMSException {
    List<String> bodies = new ArrayList<>();
    Connection c = new JmsConnectionFactory(url).createConnection();
    try {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
      while (bodies.size() < count) {
        TextMessage m = (TextMessage) consumer.receive(5_000);
        if (m == null) {
          break;
        }
        bodies.add(m.getText());
      }
    } finally {
      c.close();
    }
    return bodies;
  }

  static List<String> expected(String prefix, int from, int to) {
    List<String> bodies = new ArrayList<>();
    for (int i = from; i < to; i++) {
      bodies.add(prefix + "-" + i);
    }
    return bodies;
  }
}
