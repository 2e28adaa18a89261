package io.tandem.broker.destination;

/**
 * What names a place messages wait in, typed by what it is. The store and the admin view see the
 * text form ({@code queue:orders}, {@code sub:client:name}...), which stays as it was written by
 * every earlier version; nothing in this package builds or takes apart that text by hand.
 */
public sealed interface DestinationKey {

  /** The text form, as the store keeps it and the admin view shows it. */
  String text();

  /** A named queue; its messages are stored under {@code queue:NAME}. */
  record Queue(String name) implements DestinationKey {
    static final String PREFIX = "queue:";

    @Override
    public String text() {
      return PREFIX + name;
    }

    /** The queue a stored queue key names, or {@code null} if {@code text} is not a queue key. */
    static Queue fromStored(String text) {
      return text.startsWith(PREFIX) ? new Queue(text.substring(PREFIX.length())) : null;
    }
  }

  /**
   * A topic as the scope of duplicate detection: a producer message id is unique per topic,
   * whatever subscriptions got the message.
   */
  record Topic(String name) implements DestinationKey {
    @Override
    public String text() {
      return "topic:" + name;
    }
  }

  /** A topic subscription. */
  sealed interface SubscriptionKey extends DestinationKey {

    /** The key of the named subscription a consumer with these settings asks for. */
    static SubscriptionKey named(boolean durable, String clientId, String name) {
      String id = clientId == null ? "" : clientId;
      return durable ? new Durable(id, name) : new Shared(id, name);
    }
  }

  /** A durable subscription; the only kind that is stored, under this key. */
  record Durable(String clientId, String name) implements SubscriptionKey {
    @Override
    public String text() {
      return "sub:" + clientId + ":" + name;
    }
  }

  /** A named subscription that is not durable: shared by its consumers while any is attached. */
  record Shared(String clientId, String name) implements SubscriptionKey {
    @Override
    public String text() {
      return "shared:" + clientId + ":" + name;
    }
  }

  /** An unnamed subscription that lives as long as its one consumer. */
  record Unnamed(long id) implements SubscriptionKey {
    @Override
    public String text() {
      return "nd:" + id;
    }
  }
}
