package io.tandem.broker.destination;

/** How a consumer settled a delivery (the AMQP outcomes, as JMS clients use them). */
public enum Outcome {
  /** Consumed: remove it. */
  ACCEPTED,
  /** Given back unseen: deliver again without counting a delivery. */
  RELEASED,
  /** Seen but not consumed (recover, rollback): deliver again and count the delivery. */
  MODIFIED_FAILED,
  /** Given back, and this consumer must not get it again: treated as {@link #MODIFIED_FAILED}. */
  MODIFIED_UNDELIVERABLE,
  /** Poison: move it to the dead-letter queue. */
  REJECTED
}
