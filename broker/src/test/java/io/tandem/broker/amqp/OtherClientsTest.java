package io.tandem.broker.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.TestBroker;
import io.tandem.broker.store.MemoryStore;
import io.tandem.broker.store.MessageStore;
import io.tandem.broker.store.Recovered;
import io.tandem.broker.store.StoreBatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plain send/receive with a non-JMS AMQP 1.0 client: Python Qpid Proton. */
class OtherClientsTest {
  @TempDir Path dir;

  private static boolean pythonProtonAvailable() throws Exception {
    Process p =
        new ProcessBuilder("/usr/bin/python3", "-c", "import proton")
            .redirectErrorStream(true)
            .start();
    try {
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } finally {
      p.destroyForcibly();
    }
  }

  private static void requirePythonProton() throws Exception {
    boolean available = pythonProtonAvailable();
    if (System.getenv("CI") == null) {
      Assumptions.assumeTrue(available, "python3-qpid-proton is not installed");
    }
    assertTrue(available, "CI installs python3-qpid-proton; it is missing");
  }

  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python client finished");
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), out);
      return out;
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void shouldRefuseAnInvalidSelectorWithInvalidField() throws Exception {
    requirePythonProton();
    try (TestBroker broker = TestBroker.start(dir)) {
      String out =
          run(
              "/usr/bin/python3",
              "src/test/python/proton_bad_selector.py",
              "127.0.0.1:" + broker.amqpPort(),
              "sel.q");
      assertTrue(out.contains("invalid selector"), out);
      assertEquals(200, broker.get("/health").status());
    }
  }

  @Test
  void shouldServePythonQpidProton() throws Exception {
    requirePythonProton();
    try (TestBroker broker = TestBroker.start(dir)) {
      for (String address : new String[] {"python.queue", "topic://python.topic"}) {
        Process p =
            new ProcessBuilder(
                    "/usr/bin/python3",
                    "src/test/python/proton_send_receive.py",
                    "127.0.0.1:" + broker.amqpPort(),
                    address,
                    "50")
                .redirectErrorStream(true)
                .start();
        try {
          assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python client finished");
          String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          assertEquals(0, p.exitValue(), out);
          assertTrue(out.contains("received 50"), out);
        } finally {
          p.destroyForcibly();
        }
      }
    }
  }

  /** Holds every batch that removes messages until {@link #open}; the rest goes through. */
  private static final class GatedStore implements MessageStore {
    private final MemoryStore inner = new MemoryStore();
    private final CompletableFuture<Void> gate = new CompletableFuture<>();

    @Override
    public Recovered recover() {
      return inner.recover();
    }

    @Override
    public CompletableFuture<Void> write(StoreBatch batch) {
      if (batch.removes().isEmpty()) {
        return inner.write(batch);
      }
      return gate.thenCompose(v -> inner.write(batch));
    }

    void open() {
      gate.complete(null);
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  @Test
  void shouldSettleAFailsafeAcknowledgementOnlyOnceItsRemovalIsStored() throws Exception {
    requirePythonProton();
    java.nio.file.Files.createDirectories(dir);
    java.nio.file.Files.writeString(dir.resolve("queues.conf"), "acks  failsafe\n>\n");
    GatedStore store = new GatedStore();
    try (TestBroker broker = TestBroker.start(store, dir, "queues = queues.conf")) {
      Process p =
          new ProcessBuilder(
                  "/usr/bin/python3",
                  "src/test/python/proton_unsettled_ack.py",
                  "127.0.0.1:" + broker.amqpPort(),
                  "acks")
              .redirectErrorStream(true)
              .start();
      try (java.io.BufferedReader out =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        assertEquals("ACCEPTED", out.readLine());
        assertTrue(
            !p.waitFor(1, TimeUnit.SECONDS), "no settlement while the removal is not stored");
        store.open();
        assertEquals("SETTLED", out.readLine());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
      } finally {
        p.destroyForcibly();
      }
    }
  }

  private TestBroker journalBroker(long epoch) throws Exception {
    java.nio.file.Files.createDirectories(dir);
    java.nio.file.Files.writeString(dir.resolve("queues.conf"), "dup.q  failsafe\n>\n");
    return TestBroker.start(
        io.tandem.broker.store.Stores.open(
            io.tandem.broker.store.StoreOptions.defaults(dir.resolve("store"), epoch)
                .withMinimumSize(1 << 20)),
        dir,
        "queues = queues.conf");
  }

  private static void sendIds(TestBroker broker, String... ids) throws Exception {
    String[] cmd = new String[ids.length + 4];
    cmd[0] = "/usr/bin/python3";
    cmd[1] = "src/test/python/proton_send_ids.py";
    cmd[2] = "127.0.0.1:" + broker.amqpPort();
    cmd[3] = "dup.q";
    System.arraycopy(ids, 0, cmd, 4, ids.length);
    assertTrue(run(cmd).contains("accepted " + ids.length));
  }

  private static List<String> drain(TestBroker broker) throws Exception {
    List<String> bodies = new ArrayList<>();
    try (jakarta.jms.Connection c = broker.connect()) {
      jakarta.jms.Session s = c.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
      jakarta.jms.MessageConsumer consumer = s.createConsumer(s.createQueue("dup.q"));
      for (jakarta.jms.Message m = consumer.receive(5_000); m != null; m = consumer.receive(500)) {
        bodies.add(m.getBody(String.class));
      }
    }
    return bodies;
  }

  @Test
  void shouldStoreAResentMessageIdOnceAlsoAcrossARestart() throws Exception {
    requirePythonProton();
    try (TestBroker broker = journalBroker(1)) {
      sendIds(broker, "id-1", "id-2");
      sendIds(broker, "id-2", "id-3");
    }
    try (TestBroker broker = journalBroker(2)) {
      sendIds(broker, "id-1", "id-3", "id-4");
      assertEquals(List.of("body-id-1", "body-id-2", "body-id-3", "body-id-4"), drain(broker));
    }
  }

  @Test
  void shouldRefuseAFilterMapWithANonSymbolKeyAndKeepTheConnection() throws Exception {
    requirePythonProton();
    try (TestBroker broker = TestBroker.start(dir)) {
      String out =
          run(
              "/usr/bin/python3",
              "src/test/python/proton_bad_filter.py",
              "127.0.0.1:" + broker.amqpPort(),
              "filter.q");
      assertTrue(out.contains("amqp:invalid-field"), out);
      assertTrue(out.contains("is not a symbol"), out);
      assertTrue(out.contains("sent after refusal"), out);
      assertEquals(200, broker.get("/health").status());
    }
  }

  @Test
  void shouldStoreAMessageWhoseIdIsTooLongForDuplicateDetectionEveryTimeItIsSent()
      throws Exception {
    requirePythonProton();
    String longId = "L".repeat(io.tandem.broker.destination.Destinations.MAX_DUP_ID_LENGTH + 1);
    String longestTracked = "T".repeat(io.tandem.broker.destination.Destinations.MAX_DUP_ID_LENGTH);
    try (TestBroker broker = journalBroker(1)) {
      sendIds(broker, longId, longestTracked);
      sendIds(broker, longId, longestTracked);
      assertEquals(
          List.of("body-" + longId, "body-" + longestTracked, "body-" + longId), drain(broker));
    }
  }
}
