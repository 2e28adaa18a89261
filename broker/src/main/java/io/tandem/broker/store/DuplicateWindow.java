package io.tandem.broker.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The producer message ids stored most recently, per destination, up to a fixed count each. A send
 * whose id is in the window was stored before (a client resending after reconnecting).
 */
final class DuplicateWindow {
  private final int perDestination;

  /** Per destination, oldest first: each id with the generation it was added in. */
  private final Map<String, LinkedHashMap<String, Object>> ids = new HashMap<>();

  /** What {@link #add} tags ids with; {@link #retainCurrent} starts a new one. */
  private Object generation = new Object();

  /** Ids pushed out of the window that were in it at {@link #retainCurrent}, until it expires. */
  private final Map<String, Set<String>> retained = new HashMap<>();

  private long retainedUntilMillis;
  private LongSupplier clock = () -> 0;
  private boolean retaining;

  DuplicateWindow(int perDestination) {
    this.perDestination = perDestination;
  }

  /** One remembered send: the destination key and the producer's message id. */
  record Id(String destination, String producerId) {}

  synchronized boolean contains(String destination, String producerId) {
    Map<String, Object> window = ids.get(destination);
    return (window != null && window.containsKey(producerId)) || retained(destination, producerId);
  }

  /**
   * Keeps every id in the window now answerable until {@code untilMillis}, however many newer ids
   * push them out: the in-doubt sends of clients that failed over to a new primary. Nothing is
   * copied (a takeover calls it before it opens its listeners): the ids in the window now carry an
   * older generation than those added from now on, and only those are kept as they are pushed out.
   */
  synchronized void retainCurrent(long untilMillis, LongSupplier nowMillis) {
    clock = nowMillis;
    generation = new Object();
    retained.clear();
    retainedUntilMillis = untilMillis;
    retaining = true;
  }

  private boolean retained(String destination, String producerId) {
    if (!retaining || expired()) {
      return false;
    }
    Set<String> set = retained.get(destination);
    return set != null && set.contains(producerId);
  }

  private boolean expired() {
    if (retaining && clock.getAsLong() >= retainedUntilMillis) {
      retaining = false;
      retained.clear();
    }
    return !retaining;
  }

  synchronized void add(String destination, String producerId) {
    if (perDestination <= 0 || destination == null || producerId == null) {
      return;
    }
    LinkedHashMap<String, Object> window =
        ids.computeIfAbsent(destination, d -> new LinkedHashMap<>());
    // sent again: it moves to the newest end, and keeps the generation it was first seen in
    Object before = window.remove(producerId);
    window.put(producerId, before != null ? before : generation);
    if (window.size() > perDestination) {
      Iterator<Map.Entry<String, Object>> oldest = window.entrySet().iterator();
      Map.Entry<String, Object> e = oldest.next();
      oldest.remove();
      if (e.getValue() != generation && !expired()) {
        retained.computeIfAbsent(destination, d -> new HashSet<>()).add(e.getKey());
      }
    }
  }

  /** Every entry, oldest first per destination. */
  synchronized List<Id> entries() {
    List<Id> all = new ArrayList<>();
    ids.forEach((d, window) -> window.keySet().forEach(id -> all.add(new Id(d, id))));
    return all;
  }

  synchronized int size() {
    int n = 0;
    for (Map<String, Object> window : ids.values()) {
      n += window.size();
    }
    return n;
  }
}
