package io.tandem.broker.destination;

import io.tandem.broker.message.Message;
import io.tandem.broker.message.MessageCodec;
import java.util.Map;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;

/** Messages as a producer would send them, with a real (decodable) body section. */
final class Messages {
  private Messages() {}

  static Message persistent() {
    return message(true, null, Map.of());
  }

  static Message nonPersistent() {
    return message(false, null, Map.of());
  }

  static Message withId(String producerMessageId) {
    return message(true, producerMessageId, Map.of());
  }

  static Message withProperties(Map<String, Object> properties) {
    return message(true, null, properties);
  }

  static Message withPriority(int priority) {
    byte[] body = MessageCodec.encode(new AmqpValue("hello"));
    return new Message(
        body, true, priority, 0, null, null, null, 0, null, null, null, -1, Map.of(), 0);
  }

  static Message message(boolean durable, String messageId, Map<String, Object> properties) {
    byte[] body = MessageCodec.encode(new AmqpValue("hello"));
    return new Message(
        body, durable, 4, 0, messageId, null, null, 0, null, null, null, -1, properties, 0);
  }
}
