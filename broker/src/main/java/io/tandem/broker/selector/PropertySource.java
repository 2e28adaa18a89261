package io.tandem.broker.selector;

/**
 * Supplies the value of an identifier named in a selector, for one message.
 *
 * <p>Identifiers are case-sensitive. The broker resolves the JMS header identifiers {@code
 * JMSDeliveryMode}, {@code JMSPriority}, {@code JMSMessageID}, {@code JMSTimestamp}, {@code
 * JMSCorrelationID} and {@code JMSType}, the {@code JMSX} properties such as {@code
 * JMSXDeliveryCount}, and the message's application properties. {@code JMSDeliveryMode} must be
 * returned as the string {@code "PERSISTENT"} or {@code "NON_PERSISTENT"}, so that a selector such
 * as {@code JMSDeliveryMode = 'PERSISTENT'} works as the specification requires.
 *
 * <p>A value must be {@code null} (the identifier is absent or has no value), a {@link String}, a
 * {@link Boolean}, a {@link Byte}, {@link Short}, {@link Integer} or {@link Long} (exact numeric),
 * or a {@link Float} or {@link Double} (approximate numeric). A value of any other type is treated
 * as {@code null}: convert AMQP-specific types (symbols, UUIDs, unsigned integers, timestamps)
 * before returning them. The source is called at most once per occurrence of an identifier in the
 * selector for each evaluation, from the thread that calls {@link Selector#matches}.
 */
@FunctionalInterface
public interface PropertySource {

  /**
   * Returns the value of a header or property.
   *
   * @param identifier the identifier exactly as written in the selector
   * @return the value, or {@code null} when the message has no such header or property
   */
  Object get(String identifier);
}
