package io.tandem.bench.cost;

/**
 * Bytes allocated on a JVM's heap, summed from successive {@link HeapSample}s. New objects go to
 * eden, so between two collections what eden gained was allocated. A young collection starts when
 * an allocation does not fit, so each one is taken to have found eden full: what the last sample
 * before it had not seen yet (capacity minus the last occupancy) was allocated too, and after it
 * eden starts empty.
 *
 * <p>What this misses or adds, all small for a broker of 1 KB messages: objects too large for the
 * young generation, which are allocated in the old one directly (missed); the free tail of eden
 * when the allocation that triggered a collection did not fit in it (added, at most that
 * allocation's size); a full collection that no young one preceded, which empties eden at an
 * occupancy nobody saw (what it held since the last sample is missed). When several young
 * collections fall between two samples, the ones after the first are taken at the mean of the two
 * capacities.
 */
final class EdenAccount {
  private HeapSample last;
  private long seen;
  private long allocated;

  EdenAccount(HeapSample first) {
    this.last = first;
    this.seen = first.edenUsed();
  }

  void add(HeapSample s) {
    long young = s.youngCollections() - last.youngCollections();
    if (young > 0) {
      allocated += Math.max(0, last.edenCapacity() - seen);
      allocated += (young - 1) * ((last.edenCapacity() + s.edenCapacity()) / 2);
      seen = 0;
    } else if (s.fullCollections() > last.fullCollections()) {
      seen = 0;
    }
    if (s.edenUsed() > seen) {
      allocated += s.edenUsed() - seen;
      seen = s.edenUsed();
    }
    last = s;
  }

  /** Bytes allocated from the first sample to the last one added. */
  long allocated() {
    return allocated;
  }
}
