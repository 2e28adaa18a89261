package io.tandem.broker.store;

import static io.tandem.broker.store.StoreFixture.add;
import static io.tandem.broker.store.StoreFixture.adds;
import static io.tandem.broker.store.StoreFixture.await;
import static io.tandem.broker.store.StoreFixture.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Messages are the application's data: the store's files are its user's alone. */
class StorePermissionsTest {
  @TempDir Path tmp;

  @Test
  void shouldCreateEveryStoreFileForTheBrokersUserOnly() throws IOException {
    Path store = tmp.resolve("new").resolve("store");
    try (JournalStore s = StoreFixture.open(options(store, 1), null)) {
      await(s.write(adds(add(1, true, "queue:f"), add(2, false, "queue:n"))));
    }
    Stores.raiseFence(store, 2);
    List<Path> all;
    try (Stream<Path> files = Files.walk(store)) {
      all = files.toList();
    }
    assertTrue(all.size() > 8, all.toString());
    for (Path p : all) {
      String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
      assertEquals(Files.isDirectory(p) ? "rwx------" : "rw-------", mode, p.toString());
    }
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(store.getParent())),
        "a store directory the broker creates, with its parents");
  }
}
