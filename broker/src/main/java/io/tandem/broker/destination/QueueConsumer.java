package io.tandem.broker.destination;

import io.tandem.broker.selector.Selector;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A consumer attached to a {@link MessageQueue}. Its credit is the protocol link's credit minus
 * deliveries handed to the sink but not yet sent, so the queue never dispatches more than the
 * client asked for.
 */
public final class QueueConsumer {
  private final ConsumerSink sink;
  private final Selector selector;
  private final boolean browser;
  private final ClientConnection connection;
  private final AtomicInteger inTransit = new AtomicInteger();
  final Set<QueueEntry> unsettled = new LinkedHashSet<>();
  int credit;
  long browseCursor = -1;

  /**
   * Every pending entry whose order key is at most this was evaluated against the selector and did
   * not match, so dispatch skips it for this consumer: a selector that matches nothing costs one
   * evaluation per message, not one per message per dispatch. An entry put (back) in front of it
   * moves it back.
   */
  long rejectedThrough = -1;

  boolean closed;

  /**
   * Creates a consumer.
   *
   * @param sink where deliveries go
   * @param selector filter, or {@code null} for all messages
   * @param browser whether it only browses (copies, nothing acquired)
   * @param connection the consumer's connection
   */
  public QueueConsumer(
      ConsumerSink sink, Selector selector, boolean browser, ClientConnection connection) {
    this.sink = sink;
    this.selector = selector;
    this.browser = browser;
    this.connection = connection;
  }

  ConsumerSink sink() {
    return sink;
  }

  boolean browser() {
    return browser;
  }

  ClientConnection connection() {
    return connection;
  }

  boolean hasSelector() {
    return selector != null;
  }

  boolean accepts(QueueEntry entry) {
    return selector == null
        || selector.matches(id -> entry.message().selectorValue(id, entry.deliveryCountUnlocked()));
  }

  /** Called by the sink's thread after it sent a dispatched delivery (or dropped it). */
  public void sent() {
    inTransit.decrementAndGet();
  }

  void dispatched() {
    inTransit.incrementAndGet();
  }

  int inTransit() {
    return inTransit.get();
  }
}
