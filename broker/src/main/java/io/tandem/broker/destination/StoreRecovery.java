package io.tandem.broker.destination;

import io.tandem.broker.config.DestinationProperties;
import io.tandem.broker.message.Message;
import io.tandem.broker.message.MessageCodec;
import io.tandem.broker.store.Recovered;
import io.tandem.broker.store.SubscriptionRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Rebuilds the destinations from what the store recovered: the dead-letter queue and the static
 * destinations first, then the durable subscriptions, then every stored message into each queue its
 * record names. Message ids continue after the last stored one. Runs once, before any client is
 * served, so it needs no lock beyond what the registries take.
 */
final class StoreRecovery {
  private static final Logger LOG = Logger.getLogger(Destinations.class.getName());

  private final DestinationRegistry registry;
  private final Subscriptions subscriptions;
  private final DeadLetterRoute deadLetters;
  private final IdSource ids;

  StoreRecovery(
      DestinationRegistry registry,
      Subscriptions subscriptions,
      DeadLetterRoute deadLetters,
      IdSource ids) {
    this.registry = registry;
    this.subscriptions = subscriptions;
    this.deadLetters = deadLetters;
    this.ids = ids;
  }

  void recover(Recovered recovered) {
    ids.continueAfter(recovered.lastMessageId());
    String undelivered = Destinations.UNDELIVERED;
    deadLetters.routeTo(
        registry.configuredQueue(
            undelivered,
            registry.queueRules().lookup(undelivered).orElse(DestinationProperties.DEFAULTS)));
    for (String name : registry.queueRules().staticNames()) {
      registry.queue(name);
    }
    for (String name : registry.topicRules().staticNames()) {
      registry.knowTopic(name);
    }
    // messages name their subscription by the key text the store keeps
    Map<String, MessageQueue> stored = new HashMap<>();
    for (SubscriptionRecord r : recovered.subscriptions()) {
      stored.put(r.key(), subscriptions.restore(r).queue());
    }
    // a queue is looked up (its name parsed, its rules matched) once, not once per message
    Map<String, MessageQueue> resolved = new HashMap<>();
    long[] prepared = new long[1];
    // most stored messages name the queue the one before them named: no hash for them
    LastQueue last = new LastQueue();
    // each queue takes its messages in one go once all are read (see MessageQueue.restore)
    Map<MessageQueue, List<MessageQueue.Restored>> byQueue = new IdentityHashMap<>();
    if (recovered.prebuilt() instanceof FollowedQueues built) {
      adopt(built, recovered, key -> resolved.computeIfAbsent(key, k -> storedQueue(k, stored)));
    }
    recovered.drainMessages(
        rm -> {
          Message m;
          if (rm.prepared() instanceof Message p) {
            // a backup's follower decoded it while it waited
            m = p;
            prepared[0]++;
          } else {
            m = MessageCodec.decodeStored(rm.data(), rm.expiresAt());
          }
          for (String key : rm.queueKeys()) {
            MessageQueue q = last.key != null && last.key.equals(key) ? last.queue : null;
            if (q == null) {
              q = resolved.computeIfAbsent(key, k -> storedQueue(k, stored));
              last.key = key;
              last.queue = q;
              last.restored = q == null ? null : byQueue.computeIfAbsent(q, k -> new ArrayList<>());
            }
            if (q == null) {
              LOG.warning("stored message " + rm.messageId() + " refers to unknown queue " + key);
              continue;
            }
            last.restored.add(new MessageQueue.Restored(m, rm.messageId(), rm.deliveryCount()));
          }
        });
    for (Map.Entry<MessageQueue, List<MessageQueue.Restored>> e : byQueue.entrySet()) {
      e.getKey().restore(e.getValue());
    }
    if (prepared[0] > 0) {
      LOG.info(
          "stored messages put back into their queues: "
              + prepared[0]
              + " of "
              + recovered.liveMessages()
              + " decoded by the follower while it waited");
    }
  }

  /** Gives each queue what the follower built of it while the backup waited. */
  private static void adopt(
      FollowedQueues built, Recovered recovered, Function<String, MessageQueue> queues) {
    // deliveries are not journaled: after an unclean stop each live message counts as delivered
    int deliveries = recovered.cleanShutdown() ? 0 : 1;
    long[] taken = new long[2];
    built.drainTo(
        (key, b) -> {
          MessageQueue q = queues.apply(key);
          if (q == null) {
            LOG.warning(
                b.entries.size() + " stored messages refer to unknown queue " + key + "; skipped");
            return;
          }
          taken[0] += b.entries.size();
          taken[1]++;
          q.adopt(b, deliveries);
        });
    LOG.info(
        "queues taken over as the follower built them: "
            + taken[0]
            + " messages in "
            + taken[1]
            + " queues");
  }

  private MessageQueue storedQueue(String key, Map<String, MessageQueue> subscriptionQueues) {
    DestinationKey.Queue queue = DestinationKey.Queue.fromStored(key);
    return queue != null ? registry.storedQueue(queue) : subscriptionQueues.get(key);
  }

  /** The queue the previous stored message named, by its key, and what it takes back. */
  private static final class LastQueue {
    String key;
    MessageQueue queue;
    List<MessageQueue.Restored> restored;
  }
}
