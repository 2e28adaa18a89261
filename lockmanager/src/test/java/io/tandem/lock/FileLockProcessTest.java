package io.tandem.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.ChildProcess;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// The file lock between separate JVMs: what the kernel does when the holder dies or stops.
class FileLockProcessTest {

  private static final Logger LOG = LoggerFactory.getLogger(FileLockProcessTest.class);
  private static final Duration CHILD_WAIT = Duration.ofSeconds(60);

  @TempDir Path store;
  @TempDir Path logs;

  private final List<ChildProcess> children = new ArrayList<>();
  private final ExecutorService background = Executors.newSingleThreadExecutor();
  private FencedLock lock;

  @BeforeEach
  void openLock() {
    lock = FencedLocks.file(store);
  }

  @AfterEach
  void killChildrenAndCloseLock() {
    background.shutdownNow();
    try {
      children.forEach(ChildProcess::close);
    } finally {
      lock.close();
    }
  }

  @Test
  void shouldHandLockToWaiterWithinMillisecondsWhenHolderIsKilled() throws Exception {
    ChildProcess holder = child("hold");
    long childEpoch = acquiredEpoch(holder);
    assertTrue(lock.tryAcquire().isEmpty(), "held by the child");
    Future<Lease> waiting = background.submit(() -> lock.acquire(CHILD_WAIT));

    long killedAt = System.nanoTime();
    holder.kill();
    Lease lease = waiting.get(CHILD_WAIT.toSeconds(), TimeUnit.SECONDS);
    long handoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);

    LOG.info("SIGKILL of the holder to lease in the waiter: {} ms", handoverMs);
    assertTrue(lease.epoch() > childEpoch);
    assertTrue(handoverMs < 2_000, "hand-over took " + handoverMs + " ms");
  }

  @Test
  void shouldKeepLockHeldWhileHolderIsStopped() throws Exception {
    ChildProcess holder = child("hold");
    long childEpoch = acquiredEpoch(holder);

    Signals.stop(holder.pid());
    try {
      assertTrue(lock.tryAcquire().isEmpty(), "a stopped holder still holds the lock");
      LockException e =
          assertThrows(LockException.class, () -> lock.acquire(Duration.ofMillis(500)));
      assertEquals(LockException.Category.TIMEOUT, e.category());
      LockStatus status = FencedLocks.inspectFile(store);
      assertTrue(status.holderIsCurrent(), status.describe());
      assertEquals(holder.pid(), status.lastHolder().orElseThrow().pid());
    } finally {
      Signals.resume(holder.pid());
    }
    holder.kill();

    try (Lease lease = lock.acquire(CHILD_WAIT)) {
      assertTrue(lease.epoch() > childEpoch);
    }
  }

  @Test
  void shouldKeepLockWhenHolderClosesAnotherDescriptorOfLockFile() throws Exception {
    Path lockFile = store.resolve("lock");
    try (Lease lease = lock.acquire(CHILD_WAIT)) {
      FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE).close();
      Files.readAllBytes(lockFile);
      assertTrue(FencedLocks.inspectFile(store).held(), "inspection opens and closes it too");

      assertEquals("BUSY", tryInChild(), "another process still cannot take the lock");
      assertTrue(lease.isValid());
    }
    assertTrue(tryInChild().startsWith("ACQUIRED "), "free once released");
  }

  @Test
  void shouldIssueGreaterEpochThanEarlierHolderProcess() throws Exception {
    long earlier = Long.parseLong(tryInChild().substring("ACQUIRED ".length()));

    try (Lease lease = lock.acquire(CHILD_WAIT)) {
      assertEquals(earlier + 1, lease.epoch());
    }
    long later = Long.parseLong(tryInChild().substring("ACQUIRED ".length()));
    assertTrue(later > earlier + 1);
    assertFalse(FencedLocks.inspectFile(store).held());
  }

  // A LockChild in its own JVM: its output lines come to the test, its errors go to a log.
  private ChildProcess child(String mode) throws IOException {
    List<String> jvm = new ArrayList<>(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"));
    jvm.add("-XX:+UseSerialGC");
    String logging = System.getProperty("java.util.logging.config.file");
    if (logging != null) {
      jvm.add("-Djava.util.logging.config.file=" + logging);
    }
    List<String> command =
        ChildProcess.javaCommand(
            jvm,
            ChildProcess.testClassPath(),
            LockChild.class.getName(),
            List.of(mode, store.toString()));
    ChildProcess child =
        ChildProcess.startReadingLines(
            command, logs.resolve("child-" + System.nanoTime() + ".log"));
    children.add(child);
    return child;
  }

  private String tryInChild() throws IOException, InterruptedException {
    ChildProcess child = child("try");
    String line = child.nextLine(CHILD_WAIT);
    assertEquals(0, child.awaitExit(CHILD_WAIT));
    return line;
  }

  private static long acquiredEpoch(ChildProcess holder) throws InterruptedException {
    String[] words = holder.nextLine(CHILD_WAIT).split(" ");
    assertEquals("ACQUIRED", words[0]);
    assertEquals(holder.pid(), Long.parseLong(words[2]));
    return Long.parseLong(words[1]);
  }
}
