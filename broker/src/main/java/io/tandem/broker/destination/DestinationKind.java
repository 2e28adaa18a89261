package io.tandem.broker.destination;

/** Whether an address names a queue or a topic. */
public enum DestinationKind {
  /** Point to point: each message goes to one consumer. */
  QUEUE,
  /** Publish and subscribe: each subscription gets a copy. */
  TOPIC
}
