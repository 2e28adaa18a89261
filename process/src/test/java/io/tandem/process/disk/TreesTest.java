package io.tandem.process.disk;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.process.time.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreesTest {
  @TempDir Path dir;

  @Test
  void shouldDeleteATreeAndIgnoreOneThatIsNotThere() throws Exception {
    Path tree = dir.resolve("store");
    Files.createDirectories(tree.resolve("a/b"));
    Files.writeString(tree.resolve("a/b/file"), "x");

    Trees.delete(tree);
    Trees.delete(tree);

    assertFalse(Files.exists(tree));
  }

  @Test
  void shouldMeasureASyncRateAndLeaveNoFileBehind() throws Exception {
    double rate = SyncRate.measure(dir, 1024, Duration.ofMillis(50), Clock.system());

    assertTrue(rate > 0, "appends per second: " + rate);
    assertFalse(Files.exists(dir.resolve("fdatasync.bench")));
  }
}
