package io.tandem.broker.destination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import io.tandem.broker.config.BrokerConfig;
import io.tandem.broker.config.ConfigLoader;
import io.tandem.broker.config.DestinationProperties;
import io.tandem.broker.message.Message;
import io.tandem.broker.store.MemoryStore;
import io.tandem.broker.store.Recovered;
import io.tandem.testing.FakeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an administrator does to destinations: create, purge, delete. */
class DestinationsAdminTest {
  @TempDir Path dir;
  private Destinations destinations;

  /** queues.conf and topics.conf allow nothing, so only the administrator creates. */
  @BeforeEach
  void start() throws Exception {
    Files.writeString(dir.resolve("queues.conf"), "");
    Files.writeString(dir.resolve("topics.conf"), "");
    Files.writeString(
        dir.resolve("tandem.conf"),
        "server = t\nstore = store\nqueues = queues.conf\ntopics = topics.conf\n");
    BrokerConfig cfg = ConfigLoader.load(dir.resolve("tandem.conf"));
    destinations =
        new Destinations(
            "t",
            cfg.queues(),
            cfg.topics(),
            new MemoryStore(),
            new MemoryBudget(0),
            new FakeClock());
    destinations.recover(Recovered.empty());
  }

  private static Message message() {
    return new Message(
        new byte[10], true, 4, 0, null, null, null, 0, null, null, null, -1, Map.of(), 0);
  }

  private void send(String queue, int count) {
    for (int i = 0; i < count; i++) {
      destinations.send(destinations.route(DestinationKind.QUEUE, queue, message(), null)).join();
    }
  }

  private static void assertRefused(Category category, String text, Executable action) {
    BrokerException e = assertThrows(BrokerException.class, action::execute);
    assertEquals(category, e.category(), e.getMessage());
    assertTrue(e.getMessage().contains(text), e.getMessage());
  }

  /** An {@code Executable} that may throw only unchecked exceptions. */
  @FunctionalInterface
  interface Executable extends org.junit.jupiter.api.function.Executable {
    @Override
    void execute();
  }

  @Test
  void shouldCreateAQueueTheConfigurationDoesNotAllowWithTheGivenProperties() {
    assertRefused(
        Category.NOT_FOUND, "queues.conf does not allow it", () -> destinations.queue("orders"));
    MessageQueue q = destinations.createQueue("orders", "failsafe,maxmsgs=5");
    DestinationProperties p = q.properties();
    assertTrue(p.failsafe());
    assertEquals(5, p.maxMsgs());
    assertEquals(q, destinations.queue("orders"));
  }

  @Test
  void shouldRefuseToCreateAQueueTwiceOrWithABadNameOrProperty() {
    destinations.createQueue("orders", "");
    assertRefused(
        Category.ILLEGAL_STATE, "already exists", () -> destinations.createQueue("orders", ""));
    assertRefused(
        Category.INVALID_INPUT, "wildcards", () -> destinations.createQueue("orders.>", ""));
    assertRefused(
        Category.INVALID_INPUT,
        "belong to the broker",
        () -> destinations.createQueue("$sys.x", ""));
    assertRefused(
        Category.INVALID_INPUT,
        "unknown destination property 'fast'",
        () -> destinations.createQueue("other", "fast"));
  }

  @Test
  void shouldPurgeThePendingMessagesOfAQueue() {
    destinations.createQueue("orders", "");
    send("orders", 3);
    assertEquals(3, destinations.purgeQueue("orders"));
    assertEquals(0, destinations.queue("orders").stats().messages());
    assertRefused(Category.NOT_FOUND, "does not exist", () -> destinations.purgeQueue("none"));
  }

  @Test
  void shouldDeleteAnIdleQueueWithItsMessagesButNotOneWithConsumers() {
    destinations.createQueue("orders", "");
    send("orders", 2);
    MessageQueue q = destinations.queue("orders");
    QueueConsumer c =
        new QueueConsumer(new MessageQueueTest.RecordingSink(), null, false, new FakeConnection());
    q.addConsumer(c);
    assertRefused(
        Category.ILLEGAL_STATE, "has 1 consumers", () -> destinations.deleteQueue("orders"));
    q.removeConsumer(c, false);
    destinations.deleteQueue("orders");
    assertTrue(destinations.queueStats().stream().noneMatch(s -> s.name().equals("orders")));
    assertRefused(
        Category.NOT_FOUND, "queues.conf does not allow it", () -> destinations.queue("orders"));
    assertRefused(
        Category.ILLEGAL_STATE,
        "belongs to the broker",
        () -> destinations.deleteQueue(Destinations.UNDELIVERED));
  }

  @Test
  void shouldLetPublishersUseACreatedTopicUntilItIsDeleted() {
    assertRefused(
        Category.NOT_FOUND, "topics.conf does not allow it", () -> destinations.topic("prices"));
    destinations.createTopic("prices", "maxmsgs=7");
    assertEquals(7, destinations.topic("prices").maxMsgs());
    assertTrue(destinations.topicCounters().containsKey("prices"));
    assertRefused(
        Category.ILLEGAL_STATE, "already exists", () -> destinations.createTopic("prices", ""));
    destinations.deleteTopic("prices");
    assertRefused(
        Category.NOT_FOUND, "topics.conf does not allow it", () -> destinations.topic("prices"));
    assertRefused(Category.NOT_FOUND, "does not exist", () -> destinations.deleteTopic("prices"));
  }

  @Test
  void shouldRefuseToDeleteATopicThatHasSubscriptions() {
    destinations.createTopic("prices", "");
    destinations
        .subscribe(
            new SubscriptionRequest(
                "prices", "c1", "s1", null, false, true, false, new FakeConnection()))
        .join();
    assertRefused(
        Category.ILLEGAL_STATE, "has 1 subscriptions", () -> destinations.deleteTopic("prices"));
  }
}
