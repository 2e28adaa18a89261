package io.tandem.broker.destination;

import io.tandem.broker.config.BrokerConfig;
import io.tandem.broker.config.ConfigLoader;
import io.tandem.broker.config.DestinationRules;
import io.tandem.testing.FakeClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The package's classes wired as {@link Destinations} wires them, over a recording store, a fake
 * clock and rules from the given queues.conf and topics.conf text.
 */
final class Fixture {
  static final Instant START = Instant.ofEpochMilli(1_700_000_000_000L);

  final FakeClock clock = new FakeClock(START);
  final RecordingStore store = new RecordingStore();
  final MemoryBudget memory = new MemoryBudget(0);
  final IdSource ids = new IdSource();
  final DeadLetterRoute deadLetters = new DeadLetterRoute(store, ids);
  final QueueContext context = new QueueContext(store, memory, clock, deadLetters);
  final TemporaryDestinations temporaries = new TemporaryDestinations("t", ids, context);
  final DestinationRegistry registry;
  final Subscriptions subscriptions;

  Fixture(DestinationRules queues, DestinationRules topics) {
    registry = new DestinationRegistry(queues, topics, context, temporaries);
    subscriptions = new Subscriptions(registry, context, ids);
  }

  /** Every name allowed with default properties. */
  static Fixture allowAll() {
    return new Fixture(DestinationRules.allowAll(), DestinationRules.allowAll());
  }

  /** Rules read from {@code queuesConf} and {@code topicsConf}, written into {@code dir}. */
  static Fixture withRules(Path dir, String queuesConf, String topicsConf) {
    try {
      Files.writeString(dir.resolve("queues.conf"), queuesConf);
      Files.writeString(dir.resolve("topics.conf"), topicsConf);
      Files.writeString(
          dir.resolve("tandem.conf"),
          "server = t\nstore = store\nqueues = queues.conf\ntopics = topics.conf\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    BrokerConfig cfg = ConfigLoader.load(dir.resolve("tandem.conf"));
    return new Fixture(cfg.queues(), cfg.topics());
  }

  Router router() {
    return new Router(registry, subscriptions, context, ids);
  }

  StoreRecovery recovery() {
    return new StoreRecovery(registry, subscriptions, deadLetters, ids);
  }

  /** Recovers nothing: creates the dead-letter queue and the static destinations. */
  Fixture recovered() {
    recovery().recover(io.tandem.broker.store.Recovered.empty());
    return this;
  }

  /** A consumer with plenty of credit on {@code q}, recording what it gets. */
  MessageQueueTest.RecordingSink consume(MessageQueue q) {
    MessageQueueTest.RecordingSink sink = new MessageQueueTest.RecordingSink();
    QueueConsumer c = new QueueConsumer(sink, null, false, new FakeConnection());
    q.addConsumer(c);
    q.flow(c, 100, false);
    return sink;
  }
}
