package io.tandem.broker.destination;

/** Moves messages that cannot be delivered to {@code $sys.undelivered}. */
interface DeadLetters {

  /** Moves {@code entry} out of its queue, recording {@code reason}. */
  void deadLetter(QueueEntry entry, String reason);
}
