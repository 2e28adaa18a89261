package io.tandem.broker.store;

import static io.tandem.broker.store.StoreFixture.add;
import static io.tandem.broker.store.StoreFixture.adds;
import static io.tandem.broker.store.StoreFixture.await;
import static io.tandem.broker.store.StoreFixture.ids;
import static io.tandem.broker.store.StoreFixture.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.BrokerException;
import io.tandem.testing.Await;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Torn writes and flipped bits, applied to copies of real store files. */
class StoreDamageTest {
  @TempDir Path tmp;

  /** A store left as a crash leaves it: ten failsafe messages, no clean shutdown record. */
  private Path crashedStore(String name, boolean sync) throws IOException {
    Path original = tmp.resolve("original-" + name);
    JournalStore s = StoreFixture.open(options(original, 1), null);
    try {
      for (long id = 1; id <= 10; id++) {
        await(s.write(adds(add(id, sync, "queue:q"))));
      }
      Path copy = tmp.resolve(name);
      copyTree(original, copy);
      return copy;
    } finally {
      s.close();
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  /** The segment of a message journal that holds the records (the next one is an empty spare). */
  private static Segment onlySegment(Path store, String journal) throws IOException {
    Journal j = new Journal(store, journal, StoreOptions.MIN_SEGMENT);
    List<Segment> segments = j.list();
    assertTrue(!segments.isEmpty(), "segments of " + journal);
    for (Segment s : segments.subList(1, segments.size())) {
      assertTrue(SegmentScan.of(s, -1).frames.isEmpty(), s + " should be an unused spare");
    }
    return segments.get(0);
  }

  private static List<SegmentScan.Located> frames(Segment s) throws IOException {
    return new ArrayList<>(SegmentScan.of(s, -1).frames);
  }

  private static void overwrite(Path file, long offset, byte[] bytes) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(offset);
      f.write(bytes);
    }
  }

  @Test
  void shouldTruncateATornTailAndKeepEverythingBefore() throws Exception {
    Path store = crashedStore("torn", true);
    Segment seg = onlySegment(store, Journal.SYNC);
    SegmentScan.Located last = frames(seg).get(9);
    int cut = last.length() / 2;
    overwrite(seg.path, last.offset() + cut, new byte[last.length() - cut]);

    StoreReport report = Stores.inspect(store);
    assertEquals(1, report.problems().size(), report.problems().toString());
    assertEquals("torn-tail", report.problems().get(0).kind());
    assertEquals(last.offset(), report.problems().get(0).offset());
    assertFalse(report.hasCorruption());

    Recovered[] r = new Recovered[1];
    try (JournalStore s = StoreFixture.reopen(store, r)) {
      assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), ids(r[0]));
      await(s.write(adds(add(11, true, "queue:q"))));
    }
    try (JournalStore s = StoreFixture.reopen(store, r)) {
      assertEquals(10, r[0].messages().size());
      assertEquals(11, r[0].lastMessageId());
      assertEquals(JournalStore.State.SERVING, s.state());
    }
  }

  @Test
  void shouldRefuseToStartWhenABitFlipsBeforeTheTail() throws Exception {
    Path store = crashedStore("flip", false);
    Segment seg = onlySegment(store, Journal.ASYNC);
    SegmentScan.Located fourth = frames(seg).get(3);
    long at = fourth.offset() + fourth.length() - 10;
    byte[] one = Files.readAllBytes(seg.path);
    overwrite(seg.path, at, new byte[] {(byte) (one[(int) at] ^ 0x10)});

    BrokerException e = assertThrows(BrokerException.class, () -> StoreFixture.reopen(store, null));
    assertEquals(BrokerException.Category.STORE_CORRUPT, e.category());
    assertTrue(e.getMessage().contains("offset " + fourth.offset()), e.getMessage());
    assertTrue(e.getMessage().contains(Journal.ASYNC), e.getMessage());
    assertTrue(e.getMessage().contains("--force-start"), e.getMessage());

    StoreReport report = Stores.inspect(store);
    assertTrue(report.hasCorruption());
    assertEquals(fourth.offset(), report.problems().get(0).offset());
    assertEquals(fourth.length(), report.problems().get(0).bytes());
  }

  @Test
  void shouldSkipCorruptRecordsWithForceStartAndStartCleanAfterwards() throws Exception {
    Path store = crashedStore("forced", true);
    Segment seg = onlySegment(store, Journal.SYNC);
    SegmentScan.Located fourth = frames(seg).get(3);
    overwrite(seg.path, fourth.offset() + 40, new byte[] {1, 2, 3, 4, 5});

    Recovered[] r = new Recovered[1];
    StoreOptions forced = options(store, Stores.fence(store) + 1).withForceStart(true);
    try (JournalStore s = StoreFixture.open(forced, r)) {
      assertEquals(List.of(1L, 2L, 3L, 5L, 6L, 7L, 8L, 9L, 10L), ids(r[0]));
      assertEquals(JournalStore.State.SERVING, s.state());
      Await.until("damaged segments rewritten", StoreFixture.WAIT, () -> !Files.exists(seg.path));
    }
    try (JournalStore s = StoreFixture.reopen(store, r)) {
      assertEquals(9, r[0].messages().size());
      assertEquals(JournalStore.State.SERVING, s.state());
    }
    assertTrue(Stores.inspect(store).problems().isEmpty());
  }

  @Test
  void shouldDropATransactionWhosePartInAnotherJournalIsTorn() throws Exception {
    Path original = tmp.resolve("tx");
    JournalStore s = StoreFixture.open(options(original, 1), null);
    try {
      await(s.write(adds(add(1, true, "queue:f"), add(2, false, "queue:n"))));
      await(s.write(adds(add(3, true, "queue:f"), add(4, false, "queue:n"))));
      Path copy = tmp.resolve("tx-copy");
      copyTree(original, copy);
      Segment async = onlySegment(copy, Journal.ASYNC);
      SegmentScan.Located last = frames(async).get(1);
      overwrite(async.path, last.offset() + 8, new byte[last.length() - 8]);
      Recovered[] r = new Recovered[1];
      try (JournalStore again = StoreFixture.reopen(copy, r)) {
        assertEquals(List.of(1L, 2L), ids(r[0]));
        assertEquals(JournalStore.State.SERVING, again.state());
      }
    } finally {
      s.close();
    }
  }
}
