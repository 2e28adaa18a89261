package io.tandem.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.Await;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the admin endpoint reads from the file system never blocks it for longer than a bound. */
class BackgroundValueTest {
  private static final Duration WAIT = Duration.ofMillis(100);

  @Test
  void shouldAnswerWithTheLastValueWhileAReadHangs() throws Exception {
    CountDownLatch disk = new CountDownLatch(1);
    AtomicInteger reads = new AtomicInteger();
    try (BackgroundValue<Integer> size =
        new BackgroundValue<>(
            "test-reader",
            () -> {
              if (reads.incrementAndGet() > 1) {
                await(disk); // the second read finds the disk hung
              }
              return reads.get();
            },
            0,
            Duration.ZERO,
            WAIT)) {
      assertEquals(1, size.get(), "a read that completes within the bound is waited for");
      long t0 = System.nanoTime();
      assertEquals(1, size.get(), "the hung read leaves the last value");
      assertEquals(1, size.get(), "and is not started twice, nor waited for again");
      long tookMs = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(tookMs < 30_000, "bounded, not hung: " + tookMs + " ms");
      assertEquals(2, reads.get());
      disk.countDown();
      Await.until("the hung read completes", Duration.ofSeconds(30), () -> size.get() >= 2);
    }
  }

  @Test
  void shouldReadAtMostOncePerMaximumAge() {
    AtomicInteger reads = new AtomicInteger();
    try (BackgroundValue<Integer> holder =
        new BackgroundValue<>(
            "test-reader",
            reads::incrementAndGet,
            0,
            Duration.ofHours(1),
            Duration.ofSeconds(30))) {
      assertEquals(1, holder.get());
      assertEquals(1, holder.get());
      assertEquals(1, reads.get());
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
