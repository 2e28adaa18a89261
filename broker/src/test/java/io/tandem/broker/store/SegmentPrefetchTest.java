package io.tandem.broker.store;

import static io.tandem.broker.store.StoreFixture.add;
import static io.tandem.broker.store.StoreFixture.adds;
import static io.tandem.broker.store.StoreFixture.await;
import static io.tandem.broker.store.StoreFixture.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full recovery's read-ahead: what it hands over is what a read then would give. */
class SegmentPrefetchTest {
  @TempDir Path dir;

  /** A store whose records journal holds several segments. */
  private Journal journal() throws IOException {
    try (JournalStore s = StoreFixture.open(options(dir, 1), null)) {
      byte[] body = new byte[200_000];
      for (long id = 1; id <= 60; id++) {
        await(s.write(adds(new StoreBatch.Add(id, body, 0, List.of("queue:q"), true))));
      }
      await(s.write(adds(add(61, true, "queue:q"))));
    }
    Journal j = new Journal(dir, Journal.SYNC, StoreOptions.MIN_SEGMENT);
    j.list();
    assertTrue(j.segments().size() >= 3, "several segments: " + j.segments());
    return j;
  }

  @Test
  void shouldHandOverTheSameFramesAsAReadOfEachSegmentInTurn() throws Exception {
    Journal j = journal();
    try (SegmentPrefetch ahead = new SegmentPrefetch(StoreIo.system(), List.of(j), (x, s) -> -1L)) {
      for (Segment s : j.segments()) {
        SegmentScan read = SegmentScan.of(s, -1);
        SegmentScan taken = ahead.take(s, -1);
        assertNotNull(taken, "read ahead: " + s.path);
        assertEquals(read.validEnd, taken.validEnd);
        assertEquals(read.frames.size(), taken.frames.size());
        for (int i = 0; i < read.frames.size(); i++) {
          assertEquals(read.frames.get(i).offset(), taken.frames.get(i).offset());
          assertEquals(read.frames.get(i).frame().batch(), taken.frames.get(i).frame().batch());
        }
      }
    }
  }

  @Test
  void shouldReadAgainWhenTheLimitChangedSinceItReadAhead() throws Exception {
    Journal j = journal();
    AtomicLong limit = new AtomicLong(-1);
    try (SegmentPrefetch ahead =
        new SegmentPrefetch(StoreIo.system(), List.of(j), (x, s) -> limit.get())) {
      Segment first = j.segments().get(0);
      assertNull(ahead.take(first, 100), "read ahead to its end, asked up to 100 bytes");
      limit.set(100);
      Segment second = j.segments().get(1);
      // the second was read ahead with -1 when the first was taken: it too is read again
      assertNull(ahead.take(second, 100));
      SegmentScan third = ahead.take(j.segments().get(2), 100);
      assertNotNull(third, "read ahead with the new limit");
      assertEquals(SegmentScan.of(j.segments().get(2), 100).validEnd, third.validEnd);
    }
  }

  @Test
  void shouldLeaveASegmentItCannotSizeToTheRecoverysOwnRead() throws Exception {
    Journal j = journal();
    Segment second = j.segments().get(1);
    try (SegmentPrefetch ahead = new SegmentPrefetch(StoreIo.system(), List.of(j), (x, s) -> -1L)) {
      Files.delete(second.path);
      assertNotNull(ahead.take(j.segments().get(0), -1));
      assertNull(ahead.take(second, -1), "not read ahead: the recovery's own read reports it");
    }
  }

  @Test
  void shouldReportAReadThatFailedAheadWhenItsTurnComes() throws Exception {
    Journal j = journal();
    Segment second = j.segments().get(1);
    try (SegmentPrefetch ahead = new SegmentPrefetch(StoreIo.system(), List.of(j), (x, s) -> -1L)) {
      // unreadable, yet there: a directory where the segment was
      Files.delete(second.path);
      Files.createDirectory(second.path);
      assertNotNull(ahead.take(j.segments().get(0), -1));
      assertThrows(IOException.class, () -> ahead.take(second, -1));
    }
  }
}
