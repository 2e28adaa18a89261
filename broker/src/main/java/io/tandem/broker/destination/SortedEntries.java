package io.tandem.broker.destination;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * Entries sorted by their order key, seen as the sorted map that lets {@link
 * java.util.TreeMap#putAll} into an empty map link them in one pass; only what that needs is there.
 */
final class SortedEntries extends AbstractMap<Long, QueueEntry>
    implements SortedMap<Long, QueueEntry> {
  private final List<QueueEntry> entries;

  SortedEntries(List<QueueEntry> entries) {
    this.entries = entries;
  }

  @Override
  public Comparator<? super Long> comparator() {
    return null;
  }

  @Override
  public Set<Map.Entry<Long, QueueEntry>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<Long, QueueEntry>> iterator() {
        Iterator<QueueEntry> it = entries.iterator();
        return new Iterator<>() {
          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public Map.Entry<Long, QueueEntry> next() {
            QueueEntry e = it.next();
            return Map.entry(e.orderKey(), e);
          }
        };
      }

      @Override
      public int size() {
        return entries.size();
      }
    };
  }

  @Override
  public SortedMap<Long, QueueEntry> subMap(Long from, Long to) {
    throw new UnsupportedOperationException();
  }

  @Override
  public SortedMap<Long, QueueEntry> headMap(Long to) {
    throw new UnsupportedOperationException();
  }

  @Override
  public SortedMap<Long, QueueEntry> tailMap(Long from) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Long firstKey() {
    return entries.get(0).orderKey();
  }

  @Override
  public Long lastKey() {
    return entries.get(entries.size() - 1).orderKey();
  }
}
