package io.tandem.broker.store;

import java.util.List;
import java.util.Map;

/**
 * What reading a store found, for operators ({@code tandem store info|verify}) and the startup log.
 *
 * @param files size in bytes of each segment file, by path relative to the store
 * @param recordsByType valid records read, by record type
 * @param epochs epochs that wrote records
 * @param liveByQueue live messages per store queue key
 * @param subscriptions durable subscriptions
 * @param problems torn tails, corrupt ranges and dropped batches, each naming file and offset
 * @param cleanShutdown whether the last writer closed the store cleanly
 * @param lastMessageId the highest message id stored
 */
public record StoreReport(
    Map<String, Long> files,
    Map<String, Long> recordsByType,
    List<Long> epochs,
    Map<String, Long> liveByQueue,
    int subscriptions,
    List<Problem> problems,
    boolean cleanShutdown,
    long lastMessageId) {

  /** The summary for operators of what {@code r} read. */
  static StoreReport of(Recovery r) {
    Map<String, Long> live = new java.util.TreeMap<>();
    for (StoreIndex.Entry e : r.index.messages.values()) {
      e.refs.forEach(k -> live.merge(k, 1L, Long::sum));
    }
    return new StoreReport(
        r.files,
        r.recordsByType,
        List.copyOf(r.epochs),
        live,
        r.index.subscriptions.size(),
        List.copyOf(r.problems),
        r.clean,
        r.index.maxMessageId);
  }

  /**
   * Something wrong in the store.
   *
   * @param kind {@code torn-tail}, {@code corrupt} or {@code incomplete-batch}
   * @param file the segment, relative to the store
   * @param offset where the bad bytes start
   * @param bytes how many bytes are affected
   */
  public record Problem(String kind, String file, long offset, long bytes) {
    @Override
    public String toString() {
      return kind + " " + file + " offset " + offset + " (" + bytes + " bytes)";
    }
  }

  /** Whether anything is torn or corrupt. */
  public boolean hasCorruption() {
    return anyCorrupt(problems);
  }

  /** Whether {@code problems} name corrupt records. */
  static boolean anyCorrupt(List<Problem> problems) {
    return problems.stream().anyMatch(p -> p.kind().equals("corrupt"));
  }
}
