package io.tandem.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TrackedLeaseTest {

  private final AtomicInteger releases = new AtomicInteger();
  private final AtomicBoolean connected = new AtomicBoolean(true);
  private final TrackedLease lease =
      new TrackedLease(7, "test lock", l -> releases.incrementAndGet(), connected::get);

  @Test
  void shouldBecomeInvalidButKeepLockWhenSuspected() {
    RecordingListener listener = new RecordingListener();
    lease.addListener(listener);

    lease.suspect("connection suspended");

    assertFalse(lease.isValid());
    assertEquals(0, releases.get());
    listener.assertHeardExactly(LeaseEvent.SUSPECT);
    assertEquals("connection suspended", listener.first(LeaseEvent.SUSPECT).orElseThrow().reason());
  }

  @Test
  void shouldReleaseOnceAndTellLostOnceWhenEndedRepeatedly() {
    RecordingListener listener = new RecordingListener();
    lease.addListener(listener);

    lease.suspect("suspended");
    lease.end("session lost");
    lease.end("closed");
    lease.close();

    assertEquals(1, releases.get());
    listener.assertHeardExactly(LeaseEvent.SUSPECT, LeaseEvent.LOST);
    assertEquals("suspended", listener.first(LeaseEvent.SUSPECT).orElseThrow().reason());
    assertEquals("session lost", listener.first(LeaseEvent.LOST).orElseThrow().reason());
  }

  @Test
  void shouldReportInvalidWhileDisconnectedEvenBeforeSuspected() {
    connected.set(false);

    assertFalse(lease.isValid());
    assertEquals(LeaseState.VALID, lease.state());
  }

  @Test
  void shouldKeepTellingOtherListenersWhenOneThrows() {
    RecordingListener after = new RecordingListener();
    lease.addListener(
        (event, reason) -> {
          throw new IllegalStateException("listener bug");
        });
    lease.addListener(after);

    lease.close();

    after.assertHeardExactly(LeaseEvent.SUSPECT, LeaseEvent.LOST);
  }

  @Test
  void shouldTellSuspectBeforeReleasingAndLostAfter() {
    List<String> order = new ArrayList<>();
    TrackedLease observed = new TrackedLease(1, "test lock", l -> order.add("release"), () -> true);
    observed.addListener((event, reason) -> order.add(event.name()));

    observed.close();

    assertEquals(List.of("SUSPECT", "release", "LOST"), order);
  }

  @Test
  void shouldEndLeaseAndTellLostEvenWhenReleaseFails() {
    TrackedLease failing =
        new TrackedLease(
            1,
            "test lock",
            l -> {
              throw new LockException(LockException.Category.IO, "close failed");
            },
            () -> true);
    RecordingListener listener = new RecordingListener();
    failing.addListener(listener);

    assertThrows(LockException.class, failing::close);

    listener.assertHeardExactly(LeaseEvent.SUSPECT, LeaseEvent.LOST);
    assertEquals(LeaseState.LOST, failing.state());
  }

  @Test
  void shouldDeliverEveryEventExactlyOnceWhenListenersRaceTransitions() throws Exception {
    for (int round = 0; round < 200; round++) {
      TrackedLease raced = new TrackedLease(round + 1, "race", l -> {}, () -> true);
      List<RecordingListener> listeners = new ArrayList<>();
      Thread ender = new Thread(() -> raced.end("race"));
      ender.start();
      for (int i = 0; i < 5; i++) {
        RecordingListener listener = new RecordingListener();
        listeners.add(listener);
        raced.addListener(listener);
      }
      ender.join(10_000);
      assertFalse(ender.isAlive());
      for (RecordingListener listener : listeners) {
        listener.assertHeardExactly(LeaseEvent.SUSPECT, LeaseEvent.LOST);
      }
    }
  }
}
