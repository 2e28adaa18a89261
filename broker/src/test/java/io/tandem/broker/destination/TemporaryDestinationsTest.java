package io.tandem.broker.destination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TemporaryDestinationsTest {
  private final Fixture f = Fixture.allowAll();
  private final TemporaryDestinations temporaries = f.temporaries;

  @Test
  void shouldNameTemporariesAfterTheServerAndTheClocksStartTime() {
    String prefix = "$tmp.t." + Long.toHexString(Fixture.START.toEpochMilli()) + ".";
    ClientConnection owner = new FakeConnection();
    assertEquals(prefix + "queue.1", temporaries.create(DestinationKind.QUEUE, owner));
    assertEquals(prefix + "topic.2", temporaries.create(DestinationKind.TOPIC, owner));
  }

  @Test
  void shouldKnowEachTemporarysOwnerAndGiveOnlyQueuesAQueue() {
    ClientConnection a = new FakeConnection();
    String queue = temporaries.create(DestinationKind.QUEUE, a);
    String topic = temporaries.create(DestinationKind.TOPIC, a);
    assertSame(a, temporaries.owner(queue));
    assertSame(a, temporaries.owner(topic));
    assertNull(temporaries.owner("orders"));
    assertNotNull(temporaries.queue(queue));
    assertNull(temporaries.queue(topic));
    assertNull(temporaries.queue(queue).storeKey(), "a temporary queue is never stored");
    assertEquals(1, temporaries.queues().size());
  }

  @Test
  void shouldDeleteOnlyTheOwnersTemporariesAndDropTheirMessages() {
    ClientConnection a = new FakeConnection();
    ClientConnection b = new FakeConnection();
    String mine = temporaries.create(DestinationKind.QUEUE, a);
    String theirs = temporaries.create(DestinationKind.QUEUE, b);
    MessageQueue q = temporaries.queue(mine);
    q.enqueue(Messages.nonPersistent(), 1, 0);
    temporaries.deleteOwnedBy(a);
    assertFalse(temporaries.contains(mine));
    assertTrue(temporaries.contains(theirs));
    assertEquals(0, q.stats().messages());
    assertEquals(0, f.memory.used(), "the dropped message no longer holds memory");
  }

  @Test
  void shouldIgnoreDeletingANameThatIsNotTemporary() {
    temporaries.delete("orders");
    assertTrue(temporaries.queues().isEmpty());
  }
}
