package io.tandem.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

// Runs the examples of docs/locking.md as they are written there.
class LockingGuideExampleTest {

  @TempDir Path storeDir;

  private final List<String> stoppedBecause = new ArrayList<>();

  @Test
  void shouldRunTheApiExample() throws IOException {
    try (FencedLock lock = FencedLocks.file(storeDir)) {
      Lease lease = lock.acquire(Duration.ofSeconds(30));
      lease.addListener(
          (event, reason) -> {
            if (event == LeaseEvent.SUSPECT) {
              stopWriting(reason); // stop now: the lock may be passing to someone else
            }
          });
      writeFence(lease.epoch()); // before reading the store, see "How the broker uses the epoch"
      // ... serve while lease.isValid() ...
      assertTrue(lease.isValid());
    }

    assertEquals(List.of("the lock was closed"), stoppedBecause);
    assertEquals("1\n", Files.readString(storeDir.resolve("fence")));
  }

  @Test
  void shouldRunTheDiagnosticsExample() {
    try (FencedLock lock = FencedLocks.file(storeDir)) {
      lock.acquire(Duration.ofSeconds(30)).close();
    }

    LockStatus status = FencedLocks.inspectFile(storeDir);
    System.out.println(status.describe());

    assertTrue(status.describe().startsWith("not held\nlast recorded holder: pid "));
    assertTrue(status.describe().endsWith("\nlatest epoch: 1"));
  }

  private void stopWriting(String reason) {
    stoppedBecause.add(reason);
  }

  private void writeFence(long epoch) throws IOException {
    Files.writeString(storeDir.resolve("fence"), epoch + "\n", StandardCharsets.US_ASCII);
  }
}
