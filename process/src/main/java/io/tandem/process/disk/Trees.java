package io.tandem.process.disk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removing a directory tree, as the store benchmarks do between runs. */
public final class Trees {
  private Trees() {}

  /**
   * Deletes {@code p} and everything below it; nothing happens when it does not exist.
   *
   * @throws IOException when an entry cannot be deleted (then the rest may remain)
   */
  public static void delete(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> files = Files.walk(p)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
