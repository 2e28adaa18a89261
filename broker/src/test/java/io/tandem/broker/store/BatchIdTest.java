package io.tandem.broker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch ids are unique within an epoch only: a fenced writer numbers its batches on where the new
 * epoch numbers too. Recovery must never join, or abort, one epoch's batch for another's.
 */
class BatchIdTest {
  @TempDir Path dir;

  /** Writes one segment of {@code journal} holding {@code frames}, as epoch {@code epoch}. */
  private void segment(String journal, long epoch, Frame... frames) throws IOException {
    Path d = Files.createDirectories(dir.resolve(journal));
    Segment s = Segment.create(SegmentChannels.SYSTEM, d, epoch, 1, StoreOptions.MIN_SEGMENT);
    for (Frame f : frames) {
      s.append(f.encode(s.salt()));
    }
    s.force();
    s.seal();
  }

  private static Frame add(long epoch, long batch, int records, long id) {
    Records.AddBody a = new Records.AddBody(id, 0, List.of("queue:q"), null, null, new byte[10]);
    return new Frame(RecordType.ADD, epoch, batch, records, Records.encode(a));
  }

  private Map<String, Long> live() {
    return Stores.inspect(dir).liveByQueue();
  }

  @Test
  void shouldNotJoinHalvesOfBatchesOfTwoEpochsThatShareAnId() throws IOException {
    // epoch 1's batch 7 lost its second record; epoch 2's batch 7 lost its first
    segment(Journal.SYNC, 1, add(1, 7, 2, 100));
    segment(Journal.ASYNC, 2, add(2, 7, 2, 200));
    assertEquals(Map.of(), live(), "two halves of different batches are not one batch");
  }

  @Test
  void shouldNotAbortAnotherEpochsBatchWithTheSameId() throws IOException {
    Records.CheckpointBody c =
        new Records.CheckpointBody(8, 0, List.of(new StoreIndex.BatchId(1, 9)));
    segment(Journal.META, 1, new Frame(RecordType.CHECKPOINT, 1, 10, 1, Records.encode(c)));
    segment(Journal.SYNC, 1, add(1, 9, 1, 100));
    segment(Journal.ASYNC, 2, add(2, 9, 1, 200));
    assertEquals(Map.of("queue:q", 1L), live(), "only epoch 1's batch 9 was aborted");
  }
}
