package io.tandem.broker.message;

import java.util.Map;

/**
 * An immutable message held by the broker. {@link #sections()} are the encoded sections that follow
 * the header (message annotations, properties, application properties, body, footer); the header is
 * rebuilt on every delivery because its delivery count changes.
 *
 * @param sections encoded sections after the header and delivery annotations
 * @param durable whether the producer sent it PERSISTENT
 * @param priority 0..9, 4 when absent
 * @param expiresAt epoch milliseconds after which it must not be delivered, 0 for never
 * @param messageId the message-id as a string, or {@code null}
 * @param correlationId the correlation-id as a string, or {@code null}
 * @param subject the subject (JMSType), or {@code null}
 * @param creationTime epoch milliseconds the producer stamped, or 0
 * @param to the address in the properties section, or {@code null}
 * @param userId the user-id as UTF-8, or {@code null}
 * @param groupId JMSXGroupID, or {@code null}
 * @param destinationType the Qpid JMS destination-type annotation (0 queue, 1 topic, 2 temporary
 *     queue, 3 temporary topic), or -1
 * @param applicationProperties application properties, never {@code null}
 * @param sectionsStart where in {@code sections} the sections begin: a message decoded from a
 *     transfer or read back from the store keeps that array whole, header included, instead of
 *     copying what follows the header
 */
public record Message(
    byte[] sections,
    boolean durable,
    int priority,
    long expiresAt,
    String messageId,
    String correlationId,
    String subject,
    long creationTime,
    String to,
    String userId,
    String groupId,
    int destinationType,
    Map<String, Object> applicationProperties,
    int sectionsStart) {

  /** The priority JMS uses when a message does not carry one. */
  public static final int DEFAULT_PRIORITY = 4;

  public Message {
    if (sectionsStart < 0 || sectionsStart > sections.length) {
      throw new IllegalArgumentException(
          "sections start at " + sectionsStart + " of " + sections.length + " bytes");
    }
  }

  /** How many bytes of {@code sections} the sections are, from {@link #sectionsStart}. */
  public int sectionsLength() {
    return sections.length - sectionsStart;
  }

  /** Bytes this message holds in memory, for limits and accounting. */
  public long size() {
    return sectionsLength();
  }

  /** Whether the message has expired at {@code nowMillis}. */
  public boolean expired(long nowMillis) {
    return expiresAt != 0 && nowMillis >= expiresAt;
  }

  /** A copy expiring at {@code expiresAt} (used when a destination overrides the TTL). */
  public Message withExpiry(long expiresAt) {
    return new Message(
        sections,
        durable,
        priority,
        expiresAt,
        messageId,
        correlationId,
        subject,
        creationTime,
        to,
        userId,
        groupId,
        destinationType,
        applicationProperties,
        sectionsStart);
  }

  /**
   * The value a JMS selector identifier resolves to: the JMS header names map to the AMQP fields
   * Qpid JMS uses for them, anything else is an application property.
   */
  public Object selectorValue(String identifier, int deliveryCount) {
    return switch (identifier) {
      case "JMSDeliveryMode" -> durable ? "PERSISTENT" : "NON_PERSISTENT";
      case "JMSPriority" -> priority;
      case "JMSMessageID" -> messageId;
      case "JMSCorrelationID" -> correlationId;
      case "JMSType" -> subject;
      case "JMSTimestamp" -> creationTime == 0 ? null : creationTime;
      case "JMSExpiration" -> expiresAt;
      case "JMSXDeliveryCount" -> deliveryCount + 1;
      case "JMSXUserID" -> userId;
      case "JMSXGroupID" -> groupId;
      default -> applicationProperties.get(identifier);
    };
  }
}
