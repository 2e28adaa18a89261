package io.tandem.broker.destination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import io.tandem.broker.config.DestinationProperties;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class DestinationRegistryTest {
  @TempDir Path dir;
  private Fixture f;
  private DestinationRegistry registry;

  @BeforeEach
  void rules() {
    f =
        Fixture.withRules(
            dir, "orders  maxmsgs=2\nvault  secure\napp.>\n", "prices\nsecret.>  secure\nnews.*\n");
    registry = f.registry;
  }

  private static void assertRefused(Category category, String text, Executable action) {
    BrokerException e = assertThrows(BrokerException.class, action);
    assertEquals(category, e.category(), e.getMessage());
    assertTrue(e.getMessage().contains(text), e.getMessage());
  }

  @Test
  void shouldCreateAnAllowedQueueOnceOnFirstUse() {
    MessageQueue q = registry.queue("app.x");
    assertSame(q, registry.queue("app.x"));
    assertEquals(new DestinationKey.Queue("app.x"), q.storeKey());
    assertEquals(2, registry.queue("orders").properties().maxMsgs());
  }

  @Test
  void shouldRefuseQueuesTheRulesDoNotAllowOrThatBelongToTheBroker() {
    assertRefused(Category.NOT_FOUND, "queues.conf does not allow it", () -> registry.queue("x"));
    assertRefused(Category.INVALID_INPUT, "has wildcards", () -> registry.queue("app.>"));
    assertRefused(Category.NOT_FOUND, "does not exist", () -> registry.queue("$sys.other"));
    assertRefused(Category.NOT_FOUND, "does not exist", () -> registry.queue("$tmp.t.1.queue.9"));
  }

  @Test
  void shouldFindTemporaryQueuesButNotAdministerThem() {
    String name = f.temporaries.create(DestinationKind.QUEUE, new FakeConnection());
    assertSame(f.temporaries.queue(name), registry.queue(name));
    assertRefused(Category.NOT_FOUND, "does not exist", () -> registry.administrableQueue(name));
  }

  @Test
  void shouldAllowTopicsTheRulesAllowTheAdministratorAddedOrThatAreTemporary() {
    assertEquals(DestinationProperties.DEFAULTS, registry.topic("prices"));
    assertRefused(Category.NOT_FOUND, "topics.conf does not allow it", () -> registry.topic("x"));
    String tmp = f.temporaries.create(DestinationKind.TOPIC, new FakeConnection());
    assertEquals(DestinationProperties.DEFAULTS, registry.topic(tmp));
    DestinationProperties seven = registry.topicRules().withSettings("x", "maxmsgs=7");
    assertTrue(registry.addTopic("x", seven));
    assertEquals(7, registry.topic("x").maxMsgs());
  }

  @Test
  void shouldTellWhetherADestinationIsSecureWithoutCreatingIt() {
    assertTrue(registry.secure(DestinationKind.QUEUE, "vault"));
    assertFalse(registry.queuesByName().containsKey("vault"));
    assertFalse(registry.secure(DestinationKind.QUEUE, "orders"));
    assertTrue(registry.secure(DestinationKind.TOPIC, "secret.a"));
    assertTrue(registry.secure(DestinationKind.TOPIC, ">"), "a pattern matching secret.a is");
    assertFalse(registry.secure(DestinationKind.TOPIC, "news.*"));
    registry.addTopic("news.vip", registry.topicRules().withSettings("news.vip", "secure"));
    assertTrue(registry.secure(DestinationKind.TOPIC, "news.*"), "it matches a created secure one");
    String tmp = f.temporaries.create(DestinationKind.QUEUE, new FakeConnection());
    assertFalse(registry.secure(DestinationKind.QUEUE, tmp));
  }

  @Test
  void shouldCountPublishesPerTopicAndRefuseAddingAKnownTopic() {
    registry.knowTopic("prices");
    registry.countPublished("news.a");
    registry.countPublished("news.a");
    assertEquals(0, registry.publishCounts().get("prices"));
    assertEquals(2, registry.publishCounts().get("news.a"));
    assertFalse(registry.addTopic("news.a", DestinationProperties.DEFAULTS));
    assertTrue(registry.addTopic("made", DestinationProperties.DEFAULTS));
    assertFalse(registry.addTopic("made", DestinationProperties.DEFAULTS));
    registry.removeTopic("made");
    assertFalse(registry.hasTopic("made"));
    assertRefused(
        Category.NOT_FOUND, "topics.conf does not allow it", () -> registry.topic("made"));
  }

  @Test
  void shouldListQueuesAndTemporaryQueuesByName() {
    registry.queue("orders");
    registry.queue("app.b");
    String tmp = f.temporaries.create(DestinationKind.QUEUE, new FakeConnection());
    assertEquals(List.of(tmp, "app.b", "orders"), List.copyOf(registry.queuesByName().keySet()));
  }
}
