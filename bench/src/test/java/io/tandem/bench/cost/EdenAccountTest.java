package io.tandem.bench.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EdenAccountTest {
  private static final long MB = 1 << 20;

  private static HeapSample at(long young, long full, long used, long capacity) {
    return new HeapSample(young, full, used, capacity);
  }

  @Test
  void shouldCountWhatEdenGainedBetweenCollections() {
    EdenAccount a = new EdenAccount(at(3, 0, 2 * MB, 10 * MB));
    a.add(at(3, 0, 5 * MB, 10 * MB));
    a.add(at(3, 0, 5 * MB, 10 * MB));
    a.add(at(3, 0, 7 * MB, 10 * MB));
    assertEquals(5 * MB, a.allocated());
  }

  @Test
  void shouldTakeEdenAsFullAtEachYoungCollection() {
    EdenAccount a = new EdenAccount(at(3, 0, 2 * MB, 10 * MB));
    a.add(at(3, 0, 6 * MB, 10 * MB));
    // one collection: the 4 MB after the last sample filled eden, then 1 MB since
    a.add(at(4, 0, 1 * MB, 12 * MB));
    assertEquals(4 * MB + 4 * MB + 1 * MB, a.allocated());
  }

  @Test
  void shouldCountCollectionsBetweenTwoSamplesAtTheMeanCapacity() {
    EdenAccount a = new EdenAccount(at(0, 0, 8 * MB, 10 * MB));
    a.add(at(3, 0, 3 * MB, 14 * MB));
    // 2 MB to fill the first eden, two more collections at 12 MB each, 3 MB since
    assertEquals(2 * MB + 24 * MB + 3 * MB, a.allocated());
  }

  @Test
  void shouldStartFromAnEmptyEdenAfterAFullCollection() {
    EdenAccount a = new EdenAccount(at(5, 1, 6 * MB, 10 * MB));
    a.add(at(5, 2, 2 * MB, 10 * MB));
    assertEquals(2 * MB, a.allocated());
  }

  @Test
  void shouldNeverCountAStaleOccupancyTwice() {
    EdenAccount a = new EdenAccount(at(1, 0, 4 * MB, 10 * MB));
    a.add(at(1, 0, 3 * MB, 10 * MB));
    a.add(at(1, 0, 4 * MB, 10 * MB));
    assertEquals(0, a.allocated());
  }
}
