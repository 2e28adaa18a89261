package io.tandem.broker.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Header;
import org.apache.qpid.proton.amqp.messaging.Properties;
import org.junit.jupiter.api.Test;

/**
 * A message with a header, as producers send durable messages and as the store keeps every message:
 * the broker keeps the received or stored array whole and starts the sections after the header, and
 * every encoding of it (delivery, store, dead-letter copy, stamped user id) carries the sections
 * unchanged.
 */
class MessageCodecTest {
  private static byte[] withHeader() {
    org.apache.qpid.proton.message.Message m =
        org.apache.qpid.proton.message.Message.Factory.create();
    Header h = new Header();
    h.setDurable(true);
    m.setHeader(h);
    Properties p = new Properties();
    p.setMessageId("id-7");
    p.setUserId(new Binary("mallory".getBytes(StandardCharsets.UTF_8)));
    m.setProperties(p);
    m.setApplicationProperties(new ApplicationProperties(Map.of("color", "blue")));
    m.setBody(new AmqpValue("the body"));
    byte[] buf = new byte[1024];
    int n = m.encode(buf, 0, buf.length);
    return Arrays.copyOf(buf, n);
  }

  private static org.apache.qpid.proton.message.Message read(byte[] data) {
    org.apache.qpid.proton.message.Message out =
        org.apache.qpid.proton.message.Message.Factory.create();
    out.decode(data, 0, data.length);
    return out;
  }

  @Test
  void shouldKeepTheArrayItWasDecodedFromAndStartTheSectionsAfterTheHeader() {
    byte[] sent = withHeader();
    Message m = MessageCodec.decode(sent, 0);
    assertSame(sent, m.sections(), "no copy of what follows the header");
    assertTrue(m.sectionsStart() > 0, "the header is skipped");
    assertEquals(sent.length - m.sectionsStart(), m.size());

    org.apache.qpid.proton.message.Message delivered =
        read(MessageCodec.encodeForDelivery(m, 2, false));
    assertEquals(2L, delivered.getHeader().getDeliveryCount().longValue());
    assertEquals("id-7", delivered.getMessageId());
    assertEquals("blue", delivered.getApplicationProperties().getValue().get("color"));
    assertEquals("the body", ((AmqpValue) delivered.getBody()).getValue());

    byte[] stored = MessageCodec.encodeForStore(m);
    Message back = MessageCodec.decodeStored(stored, 0);
    assertSame(stored, back.sections(), "recovery keeps the stored array too");
    assertEquals(m.size(), back.size());
    assertTrue(back.durable());
    assertEquals(
        "the body",
        ((AmqpValue) read(MessageCodec.encodeForDelivery(back, 0, false)).getBody()).getValue());
  }

  @Test
  void shouldRewriteSectionsThatStartAfterAHeader() {
    Message m = MessageCodec.decode(withHeader(), 0);
    Message stamped = MessageCodec.withUserId(m, "alice");
    org.apache.qpid.proton.message.Message d =
        read(MessageCodec.encodeForDelivery(stamped, 0, false));
    assertEquals("alice", new String(d.getUserId(), StandardCharsets.UTF_8));
    assertEquals("id-7", d.getMessageId());
    assertEquals("the body", ((AmqpValue) d.getBody()).getValue());

    Message dead = MessageCodec.annotateUndelivered(m, "queue:orders", "expired");
    org.apache.qpid.proton.message.Message dl =
        read(MessageCodec.encodeForDelivery(dead, 0, false));
    Map<?, ?> props = dl.getApplicationProperties().getValue();
    assertEquals("blue", props.get("color"));
    assertEquals("expired", props.get("JMS_TANDEM_UNDELIVERED_REASON"));
    assertEquals("queue:orders", props.get("JMS_TANDEM_UNDELIVERED_ORIGIN"));
    assertEquals("the body", ((AmqpValue) dl.getBody()).getValue());
  }
}
