package io.tandem.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.store.MessageStore;
import io.tandem.broker.store.StoreBatch;
import io.tandem.broker.store.StoreOptions;
import io.tandem.broker.store.Stores;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StoreCommandTest {
  @TempDir Path dir;
  private Path store;

  @BeforeEach
  void writeStore() {
    store = dir.resolve("store");
    try (MessageStore s =
        Stores.open(StoreOptions.defaults(store, 1).withMinimumSize(StoreOptions.MIN_SEGMENT))) {
      s.recover();
      for (long id = 1; id <= 5; id++) {
        s.write(
                new StoreBatch.Builder()
                    .add(
                        new StoreBatch.Add(
                            id, new byte[300], 0, List.of("queue:orders"), id % 2 == 0))
                    .build())
            .join();
      }
      s.write(
              new StoreBatch.Builder()
                  .remove(new StoreBatch.Remove("queue:orders", 2, true))
                  .build())
          .join();
    }
  }

  private record Run(int status, String out) {}

  private static Run tandem(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new TandemCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    int status = cli.execute(args);
    return new Run(status, out.toString());
  }

  @Test
  void infoShouldReportLiveMessagesPerQueueRecordsAndEpochs() {
    Run r = tandem("store", "info", store.toString());
    assertEquals(ExitCodes.OK, r.status(), r.out());
    assertTrue(r.out().contains("queue:orders 4"), r.out());
    assertTrue(r.out().contains("ADD 5"), r.out());
    assertTrue(r.out().contains("REMOVE 1"), r.out());
    assertTrue(r.out().contains("epochs seen: [1]"), r.out());
    assertTrue(r.out().contains("clean shutdown: true"), r.out());
    assertTrue(r.out().contains("fence epoch 1"), r.out());
  }

  @Test
  void verifyShouldNameTheOffsetOfACorruptRecordAndFail() throws Exception {
    Run clean = tandem("store", "verify", store.toString());
    assertEquals(ExitCodes.OK, clean.status(), clean.out());
    Path segment;
    try (Stream<Path> files = Files.list(store.resolve("async-msgs.db"))) {
      segment = files.findFirst().orElseThrow();
    }
    try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
      f.seek(100);
      f.write(0x5a);
    }
    Run bad = tandem("store", "verify", store.toString());
    assertEquals(ExitCodes.STORE_CORRUPT, bad.status(), bad.out());
    // the byte flipped is in the first record, which follows the 64-byte segment header
    assertTrue(
        bad.out().contains("corrupt async-msgs.db/" + segment.getFileName() + " offset 64"),
        bad.out());
  }

  @Test
  void dumpShouldPrintEveryRecord() {
    Run r = tandem("store", "dump", store.toString());
    assertEquals(ExitCodes.OK, r.status(), r.out());
    assertEquals(5, r.out().lines().filter(l -> l.contains(" ADD ")).count(), r.out());
    assertTrue(r.out().contains("REMOVE epoch=1"), r.out());
    assertTrue(r.out().contains("CLEAN_SHUTDOWN"), r.out());
  }

  @Test
  void shouldRefuseAMissingDirectory() {
    Run r = tandem("store", "info", dir.resolve("nope").toString());
    assertEquals(ExitCodes.FAILURE, r.status(), r.out());
  }
}
