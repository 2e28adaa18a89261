package io.tandem.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * What clients were told, recorded as it happens, and the checks a failover or a failing disk must
 * pass. Messages are named by queue, producer and sequence number ({@code queue/producer/seq}).
 *
 * <ul>
 *   <li>{@link #missing}: every acknowledged send to a failsafe queue is received;
 *   <li>{@link #phantoms}: nothing is received that no producer tried to send;
 *   <li>{@link #unflaggedDuplicates}: a message received twice carries JMSRedelivered on every
 *       later copy;
 *   <li>{@link #orderViolations}: each producer's messages first arrive in the order sent (later
 *       copies, the redeliveries, are not ordered).
 * </ul>
 *
 * {@link #violations} is the last three together. {@link #ops} keeps every operation with its time,
 * for a campaign's timeline and for measuring how long clients went unacknowledged.
 */
public final class ClientHistory {
  /** One received copy. */
  public record Received(String queue, String producer, long seq, boolean redelivered) {
    String id() {
      return queue + "/" + producer + "/" + seq;
    }
  }

  /**
   * One operation as it happened: {@code kind} is {@code send} (invoked), {@code ok} (the send was
   * acknowledged), {@code fail} (the client was told it failed) or {@code recv} (a copy arrived);
   * {@code nanos} is System.nanoTime when it was recorded.
   */
  public record Op(long nanos, String kind, String id, boolean redelivered) {
    /** One line of the history file: {@code nanos kind queue/producer/seq [redelivered]}. */
    public String line() {
      return nanos + " " + kind + " " + id + (redelivered ? " redelivered" : "");
    }
  }

  private final Map<String, Set<Long>> acked = new ConcurrentHashMap<>();
  private final java.util.Queue<Op> ops = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final Map<String, Long> attempted = new ConcurrentHashMap<>();
  private final List<Received> received = new ArrayList<>();

  /**
   * {@code producer} is about to send {@code seq} to {@code queue} (before it is told anything).
   */
  public void sending(String queue, String producer, long seq) {
    attempted.merge(queue + "/" + producer, seq + 1, Math::max);
    ops.add(new Op(System.nanoTime(), "send", queue + "/" + producer + "/" + seq, false));
  }

  /** The client was told the send of {@code seq} failed (it may still be stored: in doubt). */
  public void failed(String queue, String producer, long seq) {
    ops.add(new Op(System.nanoTime(), "fail", queue + "/" + producer + "/" + seq, false));
  }

  /** Every operation recorded so far, in the order recorded (nanos ascending per client). */
  public List<Op> ops() {
    return new ArrayList<>(ops);
  }

  /** When (System.nanoTime) each acknowledgement arrived, ascending. */
  public long[] ackNanos() {
    return ops.stream().filter(o -> o.kind().equals("ok")).mapToLong(Op::nanos).sorted().toArray();
  }

  /** The broker acknowledged the send of {@code seq}. */
  public void acked(String queue, String producer, long seq) {
    acked.computeIfAbsent(queue + "/" + producer, k -> new ConcurrentSkipListSet<>()).add(seq);
    ops.add(new Op(System.nanoTime(), "ok", queue + "/" + producer + "/" + seq, false));
  }

  /** A consumer received a copy of {@code seq}. */
  public synchronized void received(String queue, String producer, long seq, boolean redelivered) {
    received.add(new Received(queue, producer, seq, redelivered));
    ops.add(new Op(System.nanoTime(), "recv", queue + "/" + producer + "/" + seq, redelivered));
  }

  public long ackedCount() {
    return acked.values().stream().mapToLong(Set::size).sum();
  }

  public synchronized long receivedCount() {
    return received.size();
  }

  /** Acknowledged sends to {@code queue} not received yet, as {@code producer/seq}. */
  public synchronized Set<String> missing(String queue) {
    Set<String> missing = new TreeSet<>();
    for (String id : missing()) {
      if (id.startsWith(queue + "/")) {
        missing.add(id.substring(queue.length() + 1));
      }
    }
    return missing;
  }

  /** Acknowledged sends to any queue not received yet, as {@code queue/producer/seq}. */
  public synchronized Set<String> missing() {
    Set<String> got = new HashSet<>();
    for (Received r : received) {
      got.add(r.id());
    }
    Set<String> missing = new TreeSet<>();
    acked.forEach(
        (stream, seqs) -> {
          for (long s : seqs) {
            if (!got.contains(stream + "/" + s)) {
              missing.add(stream + "/" + s);
            }
          }
        });
    return missing;
  }

  /** Copies received more than once (redeliveries and retried sends alike). */
  public synchronized long duplicates() {
    Set<String> seen = new HashSet<>();
    return received.stream().filter(r -> !seen.add(r.id())).count();
  }

  /**
   * Received copies of messages no producer tried to send: a {@code seq} at or beyond what {@link
   * #sending} recorded for its producer, or a producer that never sent. Must never exist.
   */
  public synchronized List<String> phantoms() {
    List<String> phantoms = new ArrayList<>();
    for (Received r : received) {
      Long tried = attempted.get(r.queue() + "/" + r.producer());
      if (tried == null || r.seq() >= tried) {
        phantoms.add("never sent: " + r.id());
      }
    }
    return phantoms;
  }

  /** Later copies of a message that arrive without JMSRedelivered. */
  public synchronized List<String> unflaggedDuplicates() {
    List<String> problems = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Received r : received) {
      if (!seen.add(r.id()) && !r.redelivered()) {
        problems.add("received twice without JMSRedelivered: " + r.id());
      }
    }
    return problems;
  }

  /** First copies of a producer's messages that arrive after a first copy of a later one. */
  public synchronized List<String> orderViolations() {
    List<String> problems = new ArrayList<>();
    Map<String, Long> lastFirstSeq = new HashMap<>();
    Set<String> seen = new HashSet<>();
    for (Received r : received) {
      if (!seen.add(r.id())) {
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

  /** Every phantom, unflagged duplicate and order violation, as readable lines. */
  public synchronized List<String> violations() {
    List<String> problems = new ArrayList<>(phantoms());
    problems.addAll(unflaggedDuplicates());
    problems.addAll(orderViolations());
    return problems;
  }
}
