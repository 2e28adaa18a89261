package io.tandem.broker.ft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.Await;
import io.tandem.testing.JsonTree;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup that follows the shared store ({@code ft_follow}, on by default) takes over what it read
 * when it activates, over real broker processes and Qpid JMS: nothing acknowledged is lost, nothing
 * removed comes back, across failovers back and forth (each a new epoch the follower must notice).
 */
class FollowerFailoverIT {
  private static final String QUEUE = "ft.follow";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @AfterEach
  void stopEverything() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  @Test
  void shouldTakeOverWhatTheBackupFollowedAcrossFailoversBackAndForth() throws Exception {
    List<Member> pair = Member.pair(dir, "follow", Member.FAST);
    cleanup.addAll(pair);
    Member primary = pair.get(0).start();
    primary.awaitPrimary();
    Member backup = pair.get(1).start();
    backup.awaitBackup();

    TreeSet<Integer> expected = new TreeSet<>();
    int next = 0;
    for (int round = 0; round < 3; round++) {
      // messages the follower reads while backup, some of them consumed again before the kill
      next = send(primary, next, 1500, expected);
      consume(primary, 300, expected);
      int live = expected.size();
      Member b = backup;
      Await.until(
          b.name + " has followed " + live + " live messages; log " + b.log,
          Member.START,
          () -> followed(b).orElse(-1L) == live);
      // and some it may not have read yet when the primary dies
      next = send(primary, next, 200, expected);

      primary.kill();
      backup.awaitPrimary();
      JsonTree state = backup.stateTree().orElseThrow();
      assertTrue(
          state.bool("last_activation_followed"),
          "the activation took over what the follower read: " + state);
      assertTrue(backup.logText().contains("store taken over from its follower"), backup.logText());
      assertTrue(
          backup.logText().contains("queues taken over as the follower built them"),
          backup.logText());

      Member restarted = primary.start();
      restarted.awaitBackup();
      primary = backup;
      backup = restarted;
    }
    assertEquals(expected, drain(primary), "every acknowledged send, none consumed before");
  }

  @Test
  void shouldRecoverInFullWhenFollowingIsDisabled() throws Exception {
    List<Member> pair = Member.pair(dir, "nofollow", Member.FAST + "ft_follow = disabled\n");
    cleanup.addAll(pair);
    Member a = pair.get(0).start();
    a.awaitPrimary();
    Member b = pair.get(1).start();
    b.awaitBackup();
    TreeSet<Integer> expected = new TreeSet<>();
    send(a, 0, 500, expected);
    JsonTree backupState = b.stateTree().orElseThrow();
    assertFalse(backupState.bool("ft_follow"), backupState.toString());
    assertFalse(backupState.has("follower"), backupState.toString());

    a.kill();
    b.awaitPrimary();
    assertFalse(b.stateTree().orElseThrow().bool("last_activation_followed"));
    assertFalse(b.logText().contains("store follower"), b.logText());
    assertEquals(expected, drain(b));
  }

  /** The live messages {@code /state} says the member's follower holds, if it follows. */
  private static Optional<Long> followed(Member m) {
    return m.stateTree()
        .filter(s -> s.has("follower", "live_messages"))
        .filter(s -> s.bool("follower", "following"))
        .map(s -> s.number("follower", "live_messages"));
  }

  private static int send(Member m, int from, int count, TreeSet<Integer> expected)
      throws Exception {
    try (Connection c = new JmsConnectionFactory(m.url()).createConnection()) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer p = s.createProducer(s.createQueue(QUEUE));
      p.setDeliveryMode(DeliveryMode.PERSISTENT);
      byte[] body = new byte[512];
      for (int i = from; i < from + count; i++) {
        Message msg = s.createBytesMessage();
        ((jakarta.jms.BytesMessage) msg).writeBytes(body);
        msg.setIntProperty("n", i);
        p.send(msg);
        expected.add(i);
      }
    }
    return from + count;
  }

  /** Consumes the {@code count} oldest messages, acknowledged one by one. */
  private static void consume(Member m, int count, TreeSet<Integer> expected) throws Exception {
    try (Connection c = new JmsConnectionFactory(m.url()).createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
      MessageConsumer consumer = s.createConsumer(s.createQueue(QUEUE));
      for (int i = 0; i < count; i++) {
        Message msg = consumer.receive(30_000);
        assertTrue(msg != null, "message " + i + " of " + count + " to consume");
        msg.acknowledge();
        assertTrue(expected.remove(msg.getIntProperty("n")), "consumed once: " + msg);
      }
    }
  }

  private static TreeSet<Integer> drain(Member m) throws Exception {
    TreeSet<Integer> got = new TreeSet<>();
    try (Connection c = new JmsConnectionFactory(m.url()).createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer = s.createConsumer(s.createQueue(QUEUE));
      for (Message msg = consumer.receive(30_000); msg != null; msg = consumer.receive(2_000)) {
        assertTrue(got.add(msg.getIntProperty("n")), "received once: " + msg);
      }
    }
    return got;
  }
}
