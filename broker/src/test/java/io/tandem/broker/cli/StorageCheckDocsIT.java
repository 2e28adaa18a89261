package io.tandem.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session in docs/storage-check.md, run in a temporary directory. */
class StorageCheckDocsIT {
  private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
  private static final String DOC_DIR = "/srv/tandem/store";
  @TempDir Path dir;

  @Test
  void shouldPrintWhatTheDocShows() throws Exception {
    DocSession session = DocSession.read(HOME.resolve("docs/storage-check.md"));
    assertEquals(1, session.steps().size());
    DocSession.Step step = session.steps().get(0);
    Path store = Files.createDirectories(dir.resolve("store"));
    List<String> cmd = new ArrayList<>(Arrays.asList(step.command().split(" ")));
    assertEquals("bin/tandem", cmd.get(0));
    cmd.set(0, HOME.resolve("bin/tandem").toString());
    cmd.replaceAll(a -> a.equals(DOC_DIR) ? store.toString() : a);
    Path out = dir.resolve("out.txt");
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(out.toFile())
            .redirectError(dir.resolve("err.txt").toFile())
            .start();
    try {
      assertTrue(p.waitFor(3, TimeUnit.MINUTES), "storage-check still running");
    } finally {
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    List<String> actual = Files.readAllLines(out);
    List<String> expected =
        step.expected().stream().map(l -> l.replace(DOC_DIR, store.toString())).toList();
    assertNull(DocSession.mismatch(expected, actual), String.join("\n", actual));
    assertEquals(0, p.exitValue());
  }
}
