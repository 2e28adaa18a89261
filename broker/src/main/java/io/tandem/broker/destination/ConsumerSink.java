package io.tandem.broker.destination;

/**
 * Where a queue sends deliveries for one consumer. Called while the queue's lock is held, so
 * implementations must only hand the work to their own thread and return.
 */
public interface ConsumerSink {

  /** Sends {@code entry} to the consumer; {@code browse} deliveries are copies, not acquired. */
  void dispatch(QueueEntry entry, boolean browse);

  /** Tells the consumer that a drain finished: no more messages for it now. */
  void drained();
}
