package io.tandem.broker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.DocBlocks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The shell session of docs/fault-testing.md, run from the repository root. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultFsDocsTest {
  private static final Path HOME = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path tmp;

  @Test
  void shouldDoWhatTheDocSays() throws Exception {
    FaultFs.assumeFuse();
    List<String> blocks = DocBlocks.read(HOME.resolve("docs/fault-testing.md"), "sh");
    assertEquals(1, blocks.size());
    Path out = tmp.resolve("out.txt");
    ProcessBuilder pb =
        new ProcessBuilder("bash", "-c", blocks.get(0))
            .directory(HOME.toFile())
            .redirectOutput(out.toFile())
            .redirectError(tmp.resolve("err.txt").toFile());
    pb.environment().put("TMPDIR", tmp.toString());
    Process p = pb.start();
    try {
      assertTrue(p.waitFor(40, TimeUnit.SECONDS), "the session is still running");
    } finally {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      unmountLeftovers();
    }
    assertEquals(
        List.of("synced but lost", "ok", "fsync failed", "ok", "synced"),
        Files.readAllLines(out),
        Files.readString(tmp.resolve("err.txt")));
    assertEquals(0, p.exitValue());
  }

  /** A session that failed half-way leaves its mount under the temporary directory. */
  private void unmountLeftovers() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
      String[] f = line.split(" ");
      if (f.length > 2 && f[2].equals("fuse.faultfs") && f[1].startsWith(tmp.toString())) {
        new ProcessBuilder("fusermount3", "-uz", f[1]).start().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
