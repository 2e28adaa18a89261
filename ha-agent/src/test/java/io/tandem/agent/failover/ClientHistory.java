package io.tandem.agent.failover;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/*
 * What the clients were told, recorded as it happens (as the FT pair's tests record it): every
 * send the broker acknowledged, and every copy received. The check a takeover must pass: every
 * acknowledged send to a failsafe queue is received; a copy received twice carries JMSRedelivered
 * or comes from a send the client retried after failing over.
 */
final class ClientHistory {
  record Received(String producer, long seq, boolean redelivered) {}

  private final Map<String, Set<Long>> acked = new ConcurrentHashMap<>();
  private final List<Received> received = new ArrayList<>();

  void acked(String producer, long seq) {
    acked.computeIfAbsent(producer, k -> new ConcurrentSkipListSet<>()).add(seq);
  }

  synchronized void received(String producer, long seq, boolean redelivered) {
    received.add(new Received(producer, seq, redelivered));
  }

  long ackedCount() {
    return acked.values().stream().mapToLong(Set::size).sum();
  }

  synchronized long receivedCount() {
    return received.size();
  }

  // Acknowledged sends not received (yet).
  synchronized Set<String> missing() {
    Set<String> got = new HashSet<>();
    for (Received r : received) {
      got.add(r.producer() + "/" + r.seq());
    }
    Set<String> missing = new TreeSet<>();
    acked.forEach(
        (producer, seqs) -> {
          for (long s : seqs) {
            if (!got.contains(producer + "/" + s)) {
              missing.add(producer + "/" + s);
            }
          }
        });
    return missing;
  }

  // Copies of a message received more than once.
  synchronized long duplicates() {
    Set<String> seen = new HashSet<>();
    return received.stream().filter(r -> !seen.add(r.producer() + "/" + r.seq())).count();
  }

  // Received copies of messages no producer ever sent: must never exist.
  synchronized List<String> phantoms(Map<String, Long> attemptedPerProducer) {
    List<String> phantoms = new ArrayList<>();
    for (Received r : received) {
      Long attempted = attemptedPerProducer.get(r.producer());
      if (attempted == null || r.seq() >= attempted) {
        phantoms.add(r.producer() + "/" + r.seq());
      }
    }
    return phantoms;
  }
}
