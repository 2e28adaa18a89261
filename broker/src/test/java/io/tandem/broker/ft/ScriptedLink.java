package io.tandem.broker.ft;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/*
 * The link to the primary as the test scripts it: each offered session pairs (or not) and ends
 * with the given outcome; with none offered, a session waits like a quiet link until closed.
 */
final class ScriptedLink implements PrimaryLink {
  private static final Session CLOSED = new Session(-1, new Outcome(false, "closing"), false);

  // pairedEpoch < 0: the primary never welcomed this backup; hold: the link stays up until closed
  record Session(long pairedEpoch, Outcome outcome, boolean hold) {}

  private final LinkedBlockingQueue<Session> sessions = new LinkedBlockingQueue<>();
  private final Object held = new Object();
  private volatile boolean closed;
  final AtomicInteger started = new AtomicInteger();
  volatile boolean peerServes;

  void offer(Session session) {
    sessions.add(session);
  }

  @Override
  public Outcome session(LongConsumer onPaired) {
    started.incrementAndGet();
    try {
      Session s = closed ? CLOSED : sessions.take();
      if (s.pairedEpoch() >= 0) {
        onPaired.accept(s.pairedEpoch());
      }
      if (s.hold()) {
        synchronized (held) {
          while (!closed) {
            held.wait();
          }
        }
      }
      return closed ? CLOSED.outcome() : s.outcome();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CLOSED.outcome();
    }
  }

  @Override
  public boolean peerServes() {
    return peerServes;
  }

  @Override
  public void close() {
    closed = true;
    sessions.add(CLOSED);
    synchronized (held) {
      held.notifyAll();
    }
  }
}
