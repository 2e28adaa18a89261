package io.tandem.broker.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The producer message ids stored most recently, per destination, up to a fixed count each. A send
 * whose id is in the window was stored before (a client resending after reconnecting).
 */
final class DuplicateWindow {
  private final int perDestination;
  private final Map<String, LinkedHashSet<String>> ids = new HashMap<>();

  DuplicateWindow(int perDestination) {
    this.perDestination = perDestination;
  }

  /** One remembered send: the destination key and the producer's message id. */
  record Id(String destination, String producerId) {}

  private Map<String, java.util.Set<String>> retained = Map.of();
  private long retainedUntilMillis;
  private java.util.function.LongSupplier clock = () -> 0;

  synchronized boolean contains(String destination, String producerId) {
    LinkedHashSet<String> set = ids.get(destination);
    return (set != null && set.contains(producerId)) || retained(destination, producerId);
  }

  /**
   * Keeps every id in the window now answerable until {@code untilMillis}, however many newer ids
   * push them out: the in-doubt sends of clients that failed over to a new primary.
   */
  synchronized void retainCurrent(long untilMillis, java.util.function.LongSupplier nowMillis) {
    clock = nowMillis;
    Map<String, java.util.Set<String>> copy = new HashMap<>();
    ids.forEach((d, set) -> copy.put(d, new java.util.HashSet<>(set)));
    retained = copy;
    retainedUntilMillis = untilMillis;
  }

  private boolean retained(String destination, String producerId) {
    if (retained.isEmpty()) {
      return false;
    }
    if (clock.getAsLong() >= retainedUntilMillis) {
      retained = Map.of();
      return false;
    }
    java.util.Set<String> set = retained.get(destination);
    return set != null && set.contains(producerId);
  }

  synchronized void add(String destination, String producerId) {
    if (perDestination <= 0 || destination == null || producerId == null) {
      return;
    }
    LinkedHashSet<String> set = ids.computeIfAbsent(destination, d -> new LinkedHashSet<>());
    set.remove(producerId);
    set.add(producerId);
    if (set.size() > perDestination) {
      Iterator<String> oldest = set.iterator();
      oldest.next();
      oldest.remove();
    }
  }

  /** Every entry, oldest first per destination. */
  synchronized List<Id> entries() {
    List<Id> all = new ArrayList<>();
    ids.forEach((d, set) -> set.forEach(id -> all.add(new Id(d, id))));
    return all;
  }

  synchronized int size() {
    int n = 0;
    for (LinkedHashSet<String> set : ids.values()) {
      n += set.size();
    }
    return n;
  }
}
