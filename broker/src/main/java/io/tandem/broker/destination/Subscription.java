package io.tandem.broker.destination;

import io.tandem.broker.config.DestinationName;
import io.tandem.broker.message.Message;
import io.tandem.broker.selector.Selector;
import io.tandem.broker.store.SubscriptionRecord;

/**
 * A topic subscription: a {@link MessageQueue} fed by every topic its pattern matches. Durable
 * subscriptions keep persistent messages in the store and outlive their consumers; shared ones
 * serve several consumers; the rest end with their consumer.
 */
public final class Subscription {
  private final DestinationKey.SubscriptionKey key;
  private final String clientId;
  private final String name;
  private final String topic;
  private final String selectorText;
  private final Selector selector;
  private final boolean noLocal;
  private final boolean durable;
  private final boolean shared;
  private final ClientConnection ownerConnection;
  private final MessageQueue queue;

  Subscription(
      DestinationKey.SubscriptionKey key,
      SubscriptionRecord record,
      ClientConnection ownerConnection,
      MessageQueue queue) {
    this.key = key;
    this.clientId = record.clientId();
    this.name = record.name();
    this.topic = record.topic();
    this.selectorText = record.selector();
    this.selector = record.selector() == null ? null : Selector.parse(record.selector());
    this.noLocal = record.noLocal();
    this.durable = key instanceof DestinationKey.Durable;
    this.shared = record.shared();
    this.ownerConnection = ownerConnection;
    this.queue = queue;
  }

  /** The unique key (also the store key when durable). */
  public DestinationKey.SubscriptionKey key() {
    return key;
  }

  /** The client id, empty for global shared subscriptions and non-durable ones. */
  public String clientId() {
    return clientId;
  }

  /** The subscription name, or {@code null} for an unnamed non-durable subscription. */
  public String name() {
    return name;
  }

  /** The topic name or wildcard pattern. */
  public String topic() {
    return topic;
  }

  /** The selector text, or {@code null}. */
  public String selectorText() {
    return selectorText;
  }

  /** Whether it is durable. */
  public boolean durable() {
    return durable;
  }

  /** Whether it is shared. */
  public boolean shared() {
    return shared;
  }

  /** Whether it skips messages published on its own connection. */
  public boolean noLocal() {
    return noLocal;
  }

  /** Where its messages wait. */
  public MessageQueue queue() {
    return queue;
  }

  SubscriptionRecord record() {
    return new SubscriptionRecord(key.text(), clientId, name, topic, selectorText, noLocal, shared);
  }

  boolean wants(String topicName, Message m, ClientConnection publisherConnection) {
    if (!DestinationName.matches(topic, topicName)) {
      return false;
    }
    if (noLocal && ownerConnection != null && ownerConnection == publisherConnection) {
      return false;
    }
    return selector == null || selector.matches(id -> m.selectorValue(id, 0));
  }

  /** Whether this subscription was made with the same topic, selector and no-local flag. */
  boolean sameDefinition(String otherTopic, String otherSelector, boolean otherNoLocal) {
    return topic.equals(otherTopic)
        && java.util.Objects.equals(selectorText, otherSelector)
        && noLocal == otherNoLocal;
  }
}
