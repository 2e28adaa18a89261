package io.tandem.broker.destination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** The administrator's operations on the classes they act on; see also DestinationsAdminTest. */
class DestinationAdminTest {
  @TempDir Path dir;
  private Fixture f;
  private DestinationAdmin admin;

  @BeforeEach
  void start() {
    f = Fixture.withRules(dir, "", "").recovered();
    admin = new DestinationAdmin(f.registry, f.subscriptions, f.context);
  }

  private static void assertRefused(Category category, String text, Executable action) {
    BrokerException e = assertThrows(BrokerException.class, action);
    assertEquals(category, e.category(), e.getMessage());
    assertTrue(e.getMessage().contains(text), e.getMessage());
  }

  @Test
  void shouldCreateAStoredQueueThatRoutingThenFinds() {
    MessageQueue q = admin.createQueue("orders", "maxbytes=1KB");
    assertEquals(new DestinationKey.Queue("orders"), q.storeKey());
    assertEquals(1024, q.properties().maxBytes());
    assertEquals(q, f.registry.queue("orders"));
  }

  @Test
  void shouldNotActOnTemporaryQueues() {
    String tmp = f.temporaries.create(DestinationKind.QUEUE, new FakeConnection());
    assertRefused(Category.NOT_FOUND, "does not exist", () -> admin.purgeQueue(tmp));
    assertRefused(Category.NOT_FOUND, "does not exist", () -> admin.deleteQueue(tmp));
  }

  @Test
  void shouldStoreTheRemovalOfPurgedMessages() {
    admin.createQueue("orders", "");
    Router router = f.router();
    router.send(router.route(DestinationKind.QUEUE, "orders", Messages.persistent(), null)).join();
    assertEquals(1, admin.purgeQueue("orders"));
    assertEquals(1, f.store.last().removes().size());
    assertEquals(0, f.memory.used());
  }

  @Test
  void shouldDeleteAnUnusedTopicAndRefuseOneWithSubscriptions() {
    admin.createTopic("prices", "");
    admin.createTopic("news", "");
    f.subscriptions
        .subscribe(new SubscriptionRequest("prices", "c", "s", null, false, true, false, null))
        .join();
    assertRefused(Category.ILLEGAL_STATE, "has 1 subscriptions", () -> admin.deleteTopic("prices"));
    assertTrue(f.registry.hasTopic("prices"));
    admin.deleteTopic("news");
    assertRefused(Category.NOT_FOUND, "does not exist", () -> admin.deleteTopic("news"));
    assertRefused(
        Category.INVALID_INPUT, "belong to the broker", () -> admin.createTopic("$x", ""));
  }
}
