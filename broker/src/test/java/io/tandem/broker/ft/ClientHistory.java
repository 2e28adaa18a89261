package io.tandem.broker.ft;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What clients were told, recorded as it happens, and the checks a failover must pass: every
 * acknowledged send to a failsafe queue is received; a message received twice carries
 * JMSRedelivered on every later copy; each producer's messages first arrive in the order sent.
 * Public for the store's fault tests, which check the same rules after a failing disk.
 */
public final class ClientHistory {
  /** One received copy. */
  public record Received(String queue, String producer, long seq, boolean redelivered) {}

  private final Map<String, Set<Long>> acked = new ConcurrentHashMap<>();
  private final List<Received> received = new ArrayList<>();

  public void acked(String queue, String producer, long seq) {
    acked
        .computeIfAbsent(
            queue + "/" + producer, k -> new java.util.concurrent.ConcurrentSkipListSet<>())
        .add(seq);
  }

  public synchronized void received(String queue, String producer, long seq, boolean redelivered) {
    received.add(new Received(queue, producer, seq, redelivered));
  }

  public long ackedCount() {
    return acked.values().stream().mapToLong(Set::size).sum();
  }

  public synchronized long receivedCount() {
    return received.size();
  }

  /** Acknowledged sends to {@code queue} not received yet. */
  public synchronized Set<String> missing(String queue) {
    Set<String> got = new java.util.HashSet<>();
    for (Received r : received) {
      if (r.queue().equals(queue)) {
        got.add(r.producer() + "/" + r.seq());
      }
    }
    Set<String> missing = new TreeSet<>();
    acked.forEach(
        (key, seqs) -> {
          if (key.startsWith(queue + "/")) {
            String producer = key.substring(queue.length() + 1);
            for (long s : seqs) {
              if (!got.contains(producer + "/" + s)) {
                missing.add(producer + "/" + s);
              }
            }
          }
        });
    return missing;
  }

  /** Every violation of the duplicate and order rules, as readable lines. */
  public synchronized List<String> violations() {
    List<String> problems = new ArrayList<>();
    Map<String, Long> lastFirstSeq = new HashMap<>();
    Set<String> seen = new java.util.HashSet<>();
    for (Received r : received) {
      String id = r.queue() + "/" + r.producer() + "/" + r.seq();
      if (!seen.add(id)) {
        if (!r.redelivered()) {
          problems.add("received twice without JMSRedelivered: " + id);
        }
        continue;
      }
      String stream = r.queue() + "/" + r.producer();
      Long last = lastFirstSeq.put(stream, r.seq());
      if (last != null && last > r.seq()) {
        problems.add("order: " + stream + " got " + r.seq() + " after " + last);
      }
    }
    return problems;
  }
}
