package io.tandem.broker.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.TestBroker;
import io.tandem.broker.destination.MemoryBudget;
import io.tandem.broker.store.MemoryStore;
import io.tandem.broker.store.MessageStore;
import io.tandem.broker.store.Recovered;
import io.tandem.broker.store.StoreBatch;
import io.tandem.testing.Await;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Messages on their way to a slow store count against max_msg_memory, so producers wait. */
class ProducerCreditTest {
  private static final int LIMIT = 1024 * 1024;
  private static final int SIZE = 10 * 1024;
  private static final int MESSAGES = 500;

  @TempDir Path dir;

  /** A store whose writes of messages wait until {@link #release}: a disk that stalled. */
  private static final class StalledStore implements MessageStore {
    private final MemoryStore inner = new MemoryStore();
    private final CompletableFuture<Void> disk = new CompletableFuture<>();

    @Override
    public Recovered recover() {
      return inner.recover();
    }

    @Override
    public CompletableFuture<Void> write(StoreBatch batch) {
      if (batch.adds().isEmpty()) {
        return inner.write(batch);
      }
      return disk.thenCompose(v -> inner.write(batch));
    }

    void release() {
      disk.complete(null);
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  @Test
  void shouldStopProducerCreditWhileWritesInFlightFillMaxMsgMemoryAndResumeWhenTheyComplete()
      throws Exception {
    StalledStore store = new StalledStore();
    try (TestBroker broker = TestBroker.start(store, dir, "max_msg_memory = 1MB");
        Connection c = broker.factory("jms.forceAsyncSend=true").createConnection()) {
      c.start();
      MemoryBudget memory = broker.broker().memory();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer p = s.createProducer(s.createQueue("slow.disk"));
      p.setDeliveryMode(DeliveryMode.PERSISTENT);
      AtomicInteger sent = new AtomicInteger();
      AtomicReference<Throwable> failed = new AtomicReference<>();
      Thread producer =
          new Thread(
              () -> {
                try {
                  byte[] body = new byte[SIZE];
                  for (int i = 0; i < MESSAGES; i++) {
                    var m = s.createBytesMessage();
                    m.writeBytes(body);
                    p.send(m);
                    sent.incrementAndGet();
                  }
                } catch (Throwable t) {
                  failed.set(t);
                }
              },
              "producer");
      producer.setDaemon(true);
      producer.start();
      AtomicLong peak = new AtomicLong();
      Await.until(
          "in-flight bytes reach max_msg_memory",
          Duration.ofSeconds(30),
          () -> {
            peak.accumulateAndGet(memory.used(), Math::max);
            return memory.exhausted();
          });
      // credit is gone: the producer blocks, well short of all its messages, and nothing grows
      Await.until(
          "the producer blocked for want of credit",
          Duration.ofSeconds(30),
          () ->
              producer.getState() == Thread.State.WAITING
                  || producer.getState() == Thread.State.TIMED_WAITING);
      int stalledAt = sent.get();
      long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (System.nanoTime() < deadline) {
        peak.accumulateAndGet(memory.used(), Math::max);
        Thread.onSpinWait();
      }
      System.out.println(
          "stalled disk: producer blocked after " + stalledAt + " sends, peak " + peak + " bytes");
      assertTrue(stalledAt < MESSAGES / 2, "producer stopped early, at " + stalledAt);
      assertTrue(sent.get() <= stalledAt + 1, "no more sends while the disk is stalled");
      assertTrue(peak.get() <= LIMIT + LIMIT / 4, "heap bounded: peak " + peak + " bytes");

      store.release();
      MessageConsumer consumer = s.createConsumer(s.createQueue("slow.disk"));
      int received = 0;
      while (received < MESSAGES && consumer.receive(10_000) != null) {
        received++;
        peak.accumulateAndGet(memory.used(), Math::max);
      }
      producer.join(30_000);
      assertEquals(null, failed.get());
      assertEquals(MESSAGES, sent.get());
      assertEquals(MESSAGES, received, "every message arrives once the disk is back");
      assertTrue(peak.get() <= LIMIT + LIMIT / 4, "heap bounded: peak " + peak + " bytes");
    }
  }
}
