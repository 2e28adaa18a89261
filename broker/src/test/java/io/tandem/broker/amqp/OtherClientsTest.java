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
}
