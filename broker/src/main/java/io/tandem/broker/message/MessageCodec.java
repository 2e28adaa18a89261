package io.tandem.broker.message;

import io.tandem.broker.BrokerException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.UnsignedByte;
import org.apache.qpid.proton.amqp.UnsignedInteger;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.DeliveryAnnotations;
import org.apache.qpid.proton.amqp.messaging.Header;
import org.apache.qpid.proton.amqp.messaging.MessageAnnotations;
import org.apache.qpid.proton.amqp.messaging.Properties;
import org.apache.qpid.proton.codec.AMQPDefinedTypes;
import org.apache.qpid.proton.codec.DecoderImpl;
import org.apache.qpid.proton.codec.EncoderImpl;
import org.apache.qpid.proton.codec.WritableBuffer;

/** Decodes transfers into {@link Message}s and encodes them back for delivery. */
public final class MessageCodec {
  private static final Symbol JMS_DEST_TYPE = Symbol.valueOf("x-opt-jms-dest");
  private static final ThreadLocal<Codec> CODECS = ThreadLocal.withInitial(Codec::new);

  private MessageCodec() {}

  private static final class Codec {
    final DecoderImpl decoder = new DecoderImpl();
    final EncoderImpl encoder = new EncoderImpl(decoder);

    Codec() {
      AMQPDefinedTypes.registerAllTypes(decoder, encoder);
    }
  }

  /** Holds the fields read while walking the sections. */
  private static final class Fields {
    boolean durable;
    int priority = Message.DEFAULT_PRIORITY;
    long ttl;
    long absoluteExpiry;
    String messageId;
    String correlationId;
    String subject;
    long creationTime;
    String to;
    String userId;
    String groupId;
    int destinationType = -1;
    Map<String, Object> properties = Map.of();
  }

  /**
   * Decodes {@code data} (a complete transfer payload) received at {@code nowMillis}.
   *
   * @throws BrokerException (category INVALID_INPUT) when the bytes are not a valid AMQP message
   */
  public static Message decode(byte[] data, long nowMillis) {
    Codec codec = CODECS.get();
    ByteBuffer buf = ByteBuffer.wrap(data);
    Fields f = new Fields();
    int restStart = 0;
    try {
      codec.decoder.setByteBuffer(buf);
      while (buf.hasRemaining() && !bodyAhead(buf)) {
        Object section = codec.decoder.readObject();
        if (section instanceof Header h) {
          readHeader(h, f);
          restStart = buf.position();
        } else if (section instanceof DeliveryAnnotations) {
          restStart = buf.position();
        } else if (section instanceof MessageAnnotations ma) {
          readAnnotations(ma, f);
        } else if (section instanceof Properties p) {
          readProperties(p, f);
        } else if (section instanceof ApplicationProperties ap) {
          f.properties = readApplicationProperties(ap);
          break;
        } else {
          break;
        }
      }
    } catch (RuntimeException e) {
      throw new BrokerException(
          BrokerException.Category.INVALID_INPUT, "malformed AMQP message: " + e.getMessage(), e);
    } finally {
      codec.decoder.setByteBuffer(null);
    }
    long expiresAt = f.absoluteExpiry;
    if (f.ttl > 0) {
      long byTtl = nowMillis + f.ttl;
      expiresAt = expiresAt == 0 ? byTtl : Math.min(expiresAt, byTtl);
    }
    return new Message(
        data,
        f.durable,
        f.priority,
        expiresAt,
        f.messageId,
        f.correlationId,
        f.subject,
        f.creationTime,
        f.to,
        f.userId,
        f.groupId,
        f.destinationType,
        f.properties,
        restStart);
  }

  /**
   * Whether the next section is the body or the footer (descriptor codes 0x75 to 0x78), which the
   * broker never needs to decode: stopping here spares decoding, e.g., a whole text body.
   */
  private static boolean bodyAhead(ByteBuffer buf) {
    int p = buf.position();
    if (buf.remaining() < 3 || buf.get(p) != 0x00) {
      return false;
    }
    int code;
    byte constructor = buf.get(p + 1);
    if (constructor == 0x53) {
      code = buf.get(p + 2) & 0xff;
    } else if (constructor == (byte) 0x80 && buf.remaining() >= 10) {
      code = buf.get(p + 9) & 0xff;
      for (int i = 2; i < 9; i++) {
        if (buf.get(p + i) != 0) {
          return false;
        }
      }
    } else {
      return false;
    }
    return code >= 0x75 && code <= 0x78;
  }

  /** Reads a message back from the store, where it was kept as {@link #encodeForStore}. */
  public static Message decodeStored(byte[] sectionsWithHeader, long expiresAt) {
    Message m = decode(sectionsWithHeader, 0);
    return m.withExpiry(expiresAt);
  }

  private static void readHeader(Header h, Fields f) {
    f.durable = Boolean.TRUE.equals(h.getDurable());
    if (h.getPriority() != null) {
      f.priority = Math.min(9, h.getPriority().intValue());
    }
    if (h.getTtl() != null) {
      f.ttl = h.getTtl().longValue();
    }
  }

  private static void readAnnotations(MessageAnnotations ma, Fields f) {
    if (ma.getValue() != null && ma.getValue().get(JMS_DEST_TYPE) instanceof Number n) {
      f.destinationType = n.intValue();
    }
  }

  private static void readProperties(Properties p, Fields f) {
    f.messageId = idString(p.getMessageId());
    f.correlationId = idString(p.getCorrelationId());
    f.subject = p.getSubject();
    f.to = p.getTo();
    f.groupId = p.getGroupId();
    if (p.getCreationTime() != null) {
      f.creationTime = p.getCreationTime().getTime();
    }
    if (p.getAbsoluteExpiryTime() != null) {
      f.absoluteExpiry = p.getAbsoluteExpiryTime().getTime();
    }
    if (p.getUserId() != null) {
      Binary b = p.getUserId();
      f.userId =
          new String(
              b.getArray(),
              b.getArrayOffset(),
              b.getLength(),
              java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private static Map<String, Object> readApplicationProperties(ApplicationProperties ap) {
    if (ap.getValue() == null || ap.getValue().isEmpty()) {
      return Map.of();
    }
    Map<String, Object> result = new HashMap<>();
    for (Map.Entry<String, Object> e : ap.getValue().entrySet()) {
      result.put(e.getKey(), selectorType(e.getValue()));
    }
    return result;
  }

  /** Maps AMQP types to the Java types JMS selectors compare. */
  private static Object selectorType(Object v) {
    if (v instanceof UnsignedByte u) {
      return u.shortValue();
    }
    if (v instanceof UnsignedInteger u) {
      return u.longValue();
    }
    if (v instanceof Number || v instanceof String || v instanceof Boolean) {
      return v;
    }
    if (v instanceof Character c) {
      return String.valueOf(c);
    }
    return v == null ? null : v.toString();
  }

  private static String idString(Object id) {
    if (id == null) {
      return null;
    }
    if (id instanceof Binary b) {
      return "ID:AMQP_BINARY:"
          + java.util.HexFormat.of()
              .formatHex(b.getArray(), b.getArrayOffset(), b.getArrayOffset() + b.getLength());
    }
    return id.toString();
  }

  /**
   * Encodes {@code m} for a delivery: a header with the given delivery count, then the original
   * sections.
   */
  public static byte[] encodeForDelivery(Message m, int deliveryCount, boolean firstAcquirer) {
    Header h = new Header();
    if (m.durable()) {
      h.setDurable(true);
    }
    if (m.priority() != Message.DEFAULT_PRIORITY) {
      h.setPriority(UnsignedByte.valueOf((byte) m.priority()));
    }
    if (deliveryCount > 0) {
      h.setDeliveryCount(UnsignedInteger.valueOf(deliveryCount));
    }
    if (firstAcquirer) {
      h.setFirstAcquirer(true);
    }
    return withHeader(h, m);
  }

  /** Encodes {@code m} as the store keeps it: header fields that matter on recovery, sections. */
  public static byte[] encodeForStore(Message m) {
    return withHeader(storeHeader(m), m);
  }

  private static byte[] withHeader(Header h, Message m) {
    return withHeader(h, m.sections(), m.sectionsStart(), m.sectionsLength());
  }

  private static byte[] withHeader(Header h, byte[] sections, int from, int length) {
    Codec codec = CODECS.get();
    GrowableBuffer buf = new GrowableBuffer(32 + length);
    codec.encoder.setByteBuffer(buf);
    try {
      codec.encoder.writeObject(h);
    } finally {
      codec.encoder.setByteBuffer((WritableBuffer) null);
    }
    buf.put(sections, from, length);
    return buf.toByteArray();
  }

  /**
   * A new message for the dead-letter queue: {@code m}'s sections with application properties
   * recording where it came from and why it was given up.
   */
  public static Message annotateUndelivered(Message m, String origin, String reason) {
    Map<String, Object> props = new HashMap<>(m.applicationProperties());
    props.put("JMS_TANDEM_UNDELIVERED_REASON", reason);
    props.put("JMS_TANDEM_UNDELIVERED_ORIGIN", origin);
    byte[] rebuilt = replaceApplicationProperties(m, props);
    return decode(withHeader(storeHeader(m), rebuilt, 0, rebuilt.length), 0).withExpiry(0);
  }

  private static Header storeHeader(Message m) {
    Header h = new Header();
    h.setDurable(m.durable());
    h.setPriority(UnsignedByte.valueOf((byte) m.priority()));
    return h;
  }

  private static byte[] replaceApplicationProperties(Message m, Map<String, Object> props) {
    byte[] sections = m.sections();
    Codec codec = CODECS.get();
    // positions in the buffer are indices into sections, which begin at m.sectionsStart()
    ByteBuffer in = ByteBuffer.wrap(sections, m.sectionsStart(), m.sectionsLength());
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(sections.length + 128);
    boolean written = false;
    try {
      codec.decoder.setByteBuffer(in);
      while (in.hasRemaining()) {
        int start = in.position();
        Object section = codec.decoder.readObject();
        boolean isProps = section instanceof ApplicationProperties;
        boolean beforeProps =
            section instanceof MessageAnnotations || section instanceof Properties;
        if (!written && !isProps && !beforeProps) {
          out.writeBytes(encode(new ApplicationProperties(props)));
          written = true;
        }
        if (isProps) {
          out.writeBytes(encode(new ApplicationProperties(props)));
          written = true;
        } else {
          out.write(sections, start, in.position() - start);
        }
      }
    } finally {
      codec.decoder.setByteBuffer(null);
    }
    if (!written) {
      out.writeBytes(encode(new ApplicationProperties(props)));
    }
    return out.toByteArray();
  }

  /**
   * {@code m} with the properties section's {@code user_id} set to {@code userId} (UTF-8), or
   * removed when it is {@code null}; a properties section is added when there is none. Only that
   * section is re-encoded: the others, and the body, are copied as they are, so the stored form
   * stays what {@link #encodeForStore} always wrote.
   */
  public static Message withUserId(Message m, String userId) {
    byte[] sections = m.sections();
    Codec codec = CODECS.get();
    // positions in the buffer are indices into sections, which begin at m.sectionsStart()
    ByteBuffer in = ByteBuffer.wrap(sections, m.sectionsStart(), m.sectionsLength());
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(sections.length + 64);
    Properties props = null;
    int rest = m.sectionsStart();
    try {
      codec.decoder.setByteBuffer(in);
      while (in.hasRemaining() && !bodyAhead(in)) {
        int start = in.position();
        Object section = codec.decoder.readObject();
        if (section instanceof MessageAnnotations) {
          out.write(sections, start, in.position() - start);
          rest = in.position();
          continue;
        }
        if (section instanceof Properties p) {
          props = p;
          rest = in.position();
        }
        break;
      }
    } catch (RuntimeException e) {
      throw new BrokerException(
          BrokerException.Category.INVALID_INPUT, "malformed AMQP message: " + e.getMessage(), e);
    } finally {
      codec.decoder.setByteBuffer(null);
    }
    if (props == null && userId != null) {
      props = new Properties();
    }
    if (props != null) {
      props.setUserId(
          userId == null
              ? null
              : new Binary(userId.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      out.writeBytes(encode(props));
    }
    out.write(sections, rest, sections.length - rest);
    return new Message(
        out.toByteArray(),
        m.durable(),
        m.priority(),
        m.expiresAt(),
        m.messageId(),
        m.correlationId(),
        m.subject(),
        m.creationTime(),
        m.to(),
        userId,
        m.groupId(),
        m.destinationType(),
        m.applicationProperties(),
        0);
  }

  /** Encodes one AMQP value (used for sections built by the broker itself). */
  public static byte[] encode(Object value) {
    Codec codec = CODECS.get();
    GrowableBuffer buf = new GrowableBuffer(256);
    codec.encoder.setByteBuffer(buf);
    try {
      codec.encoder.writeObject(value);
    } finally {
      codec.encoder.setByteBuffer((WritableBuffer) null);
    }
    return buf.toByteArray();
  }
}
