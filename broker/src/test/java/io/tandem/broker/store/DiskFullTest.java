package io.tandem.broker.store;

import static io.tandem.broker.store.StoreFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.broker.BrokerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store on a small tmpfs: needs root to mount, skipped otherwise. */
class DiskFullTest {
  private static final long SEGMENT = 256 * 1024;

  @TempDir Path tmp;

  @Test
  void shouldFailSendsWithDiskFullKeepAcksWorkingAndResumeWhenSpaceReturns() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "mounting tmpfs needs root");
    Path mnt = Files.createDirectories(tmp.resolve("small"));
    run("mount", "-t", "tmpfs", "-o", "size=1536k", "tmpfs", mnt.toString());
    try {
      Path filler = mnt.resolve("filler");
      Files.write(filler, new byte[512 * 1024]);
      StoreOptions options = StoreFixture.options(mnt.resolve("store"), 1).withMinimumSize(SEGMENT);
      try (JournalStore s = StoreFixture.open(options, null)) {
        List<Long> stored = new ArrayList<>();
        BrokerException full = fillUntilFull(s, stored);
        assertEquals(BrokerException.Category.DISK_FULL, full.category(), full.getMessage());
        assertTrue(full.getMessage().contains("disk full"), full.getMessage());
        assertTrue(stored.size() > 100, "stored before the disk filled: " + stored.size());

        for (int i = 0; i < 50; i++) {
          await(s.write(StoreFixture.remove("queue:q", stored.get(i), true)));
        }

        Files.delete(filler);
        await(s.write(StoreFixture.adds(add(1_000_000))));
      }
      Recovered[] r = new Recovered[1];
      try (JournalStore s = StoreFixture.reopen(mnt.resolve("store"), r)) {
        assertTrue(r[0].messages().stream().anyMatch(m -> m.messageId() == 1_000_000));
        assertEquals(JournalStore.State.SERVING, s.state());
      }
    } finally {
      run("umount", "-l", mnt.toString());
    }
  }

  private static StoreBatch.Add add(long id) {
    return new StoreBatch.Add(id, StoreFixture.body(id, 1024), 0, List.of("queue:q"), true);
  }

  private static BrokerException fillUntilFull(JournalStore s, List<Long> stored) {
    for (long id = 1; id < 10_000; id++) {
      try {
        s.write(StoreFixture.adds(add(id))).join();
        stored.add(id);
      } catch (CompletionException e) {
        return (BrokerException) e.getCause();
      }
    }
    throw new AssertionError("the disk never filled");
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(
            String.join(" ", command)
                + " failed: "
                + new String(p.getInputStream().readAllBytes()));
      }
    } finally {
      p.destroyForcibly();
    }
  }
}
