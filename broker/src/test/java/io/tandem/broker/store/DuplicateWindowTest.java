package io.tandem.broker.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DuplicateWindowTest {
  @Test
  void shouldForgetTheOldestIdsBeyondTheWindow() {
    DuplicateWindow w = new DuplicateWindow(2);
    w.add("q", "m1");
    w.add("q", "m2");
    w.add("q", "m3");
    assertFalse(w.contains("q", "m1"));
    assertTrue(w.contains("q", "m2"));
    assertTrue(w.contains("q", "m3"));
    assertFalse(w.contains("other", "m3"));
  }

  @Test
  void shouldKeepRetainedIdsUntilTheReconnectTimeoutPasses() {
    AtomicLong now = new AtomicLong(1_000);
    DuplicateWindow w = new DuplicateWindow(2);
    w.add("q", "in-doubt");
    w.retainCurrent(now.get() + 60_000, now::get);
    w.add("q", "n1");
    w.add("q", "n2");
    w.add("q", "n3");
    assertTrue(w.contains("q", "in-doubt"), "pushed out of the window but retained");
    now.addAndGet(60_000);
    assertFalse(w.contains("q", "in-doubt"), "forgotten once ft_reconnect_timeout passed");
    assertTrue(w.contains("q", "n3"));
  }

  @Test
  void shouldRetainOnlyWhatWasInTheWindowWhenRetentionBegan() {
    AtomicLong now = new AtomicLong(1_000);
    DuplicateWindow w = new DuplicateWindow(2);
    w.add("q", "a");
    w.add("q", "b");
    w.add("other", "c");
    w.retainCurrent(now.get() + 60_000, now::get);
    // "a" sent again after the takeover: still one of the ids the takeover retained
    w.add("q", "a");
    for (String d : List.of("q", "other")) {
      for (String id : List.of("n1", "n2", "n3")) {
        w.add(d, id);
      }
    }
    assertTrue(w.contains("q", "a"));
    assertTrue(w.contains("q", "b"));
    assertTrue(w.contains("other", "c"));
    assertFalse(w.contains("q", "n1"), "added after retention began, pushed out: forgotten");
    assertFalse(w.contains("other", "a"), "retained per destination");
    assertEquals(4, w.size());
    now.addAndGet(60_000);
    assertFalse(w.contains("q", "a"));
    assertFalse(w.contains("other", "c"));
    assertTrue(w.contains("q", "n3"));
  }
}
