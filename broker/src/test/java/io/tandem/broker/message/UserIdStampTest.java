package io.tandem.broker.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.Properties;
import org.junit.jupiter.api.Test;

class UserIdStampTest {
  private static Message message(String userId, boolean withProperties) {
    org.apache.qpid.proton.message.Message m =
        org.apache.qpid.proton.message.Message.Factory.create();
    if (withProperties) {
      Properties p = new Properties();
      p.setMessageId("id-1");
      if (userId != null) {
        p.setUserId(new Binary(userId.getBytes(StandardCharsets.UTF_8)));
      }
      m.setProperties(p);
    }
    m.setBody(new AmqpValue("body"));
    byte[] buf = new byte[1024];
    int n = m.encode(buf, 0, buf.length);
    return MessageCodec.decode(Arrays.copyOf(buf, n), 0);
  }

  private static org.apache.qpid.proton.message.Message delivered(Message m) {
    byte[] data = MessageCodec.encodeForDelivery(m, 0, false);
    org.apache.qpid.proton.message.Message out =
        org.apache.qpid.proton.message.Message.Factory.create();
    out.decode(data, 0, data.length);
    return out;
  }

  private static String userIdOf(org.apache.qpid.proton.message.Message m) {
    return m.getUserId() == null ? null : new String(m.getUserId(), StandardCharsets.UTF_8);
  }

  @Test
  void shouldReplaceAddAndRemoveTheUserIdKeepingTheRest() {
    Message replaced = MessageCodec.withUserId(message("mallory", true), "alice");
    assertEquals("alice", replaced.userId());
    assertEquals("id-1", replaced.messageId());
    org.apache.qpid.proton.message.Message d = delivered(replaced);
    assertEquals("alice", userIdOf(d));
    assertEquals("id-1", d.getMessageId());
    assertEquals("body", ((AmqpValue) d.getBody()).getValue());
    assertEquals("bob", userIdOf(delivered(MessageCodec.withUserId(message(null, false), "bob"))));
    Message removed = MessageCodec.withUserId(message("mallory", true), null);
    assertNull(removed.userId());
    assertNull(userIdOf(delivered(removed)));
  }

  @Test
  void shouldKeepTheStampedUserIdThroughTheStore() {
    Message stamped = MessageCodec.withUserId(message("mallory", true), "alice");
    Message back = MessageCodec.decodeStored(MessageCodec.encodeForStore(stamped), 0);
    assertEquals("alice", back.userId());
    assertEquals("body", ((AmqpValue) delivered(back).getBody()).getValue());
  }
}
