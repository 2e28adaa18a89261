package io.tandem.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tandem.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

// A listener that remembers what it was told and when (System.nanoTime).
final class RecordingListener implements LeaseListener {

  // One delivery.
  record Heard(LeaseEvent event, String reason, long atNanos, String thread) {}

  private final List<Heard> heard = new CopyOnWriteArrayList<>();

  @Override
  public void onLeaseEvent(LeaseEvent event, String reason) {
    heard.add(new Heard(event, reason, System.nanoTime(), Thread.currentThread().getName()));
  }

  List<LeaseEvent> events() {
    return heard.stream().map(Heard::event).toList();
  }

  Optional<Heard> first(LeaseEvent event) {
    return heard.stream().filter(h -> h.event() == event).findFirst();
  }

  // Waits for the event and returns when it was heard.
  long await(LeaseEvent event, Duration timeout) {
    Await.until(() -> event + " (heard " + heard + ")", timeout, () -> first(event).isPresent());
    return first(event).orElseThrow().atNanos();
  }

  void assertHeardExactly(LeaseEvent... expected) {
    assertEquals(List.of(expected), events(), () -> "heard " + heard);
  }
}
