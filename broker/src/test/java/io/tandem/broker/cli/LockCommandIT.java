package io.tandem.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.lock.FencedLock;
import io.tandem.lock.FencedLocks;
import io.tandem.lock.Lease;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/tandem lock status --store DIR} reports the holder and epoch a separate process sees.
 */
class LockCommandIT {
  private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
  @TempDir Path store;

  private static Result run(String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = HOME.resolve("bin/tandem").toString();
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      return new Result(
          p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    } finally {
      p.destroyForcibly();
    }
  }

  private record Result(int code, String out) {}

  @Test
  void shouldShowTheHolderAndEpochWhileHeldAndNotHeldAfterRelease() throws Exception {
    try (FencedLock lock = FencedLocks.file(store)) {
      Lease lease = lock.acquire(Duration.ofSeconds(10));
      Result held = run("lock", "status", "--store", store.toString());
      assertEquals(0, held.code(), held.out());
      assertTrue(held.out().contains(Long.toString(lease.epoch())), held.out());
      assertTrue(held.out().contains(Long.toString(ProcessHandle.current().pid())), held.out());
      lease.close();
    }
    Result free = run("lock", "status", "--store", store.toString());
    assertEquals(4, free.code(), free.out());
  }
}
