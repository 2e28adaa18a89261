package io.tandem.broker.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A watchdog listener that records what it is told, for tests of the store watchdog. */
final class HeardStalls implements StoreWatchdog.Listener {
  final List<String> stalled = new CopyOnWriteArrayList<>();
  final List<String> exits = new CopyOnWriteArrayList<>();

  @Override
  public void stalled(String reason) {
    stalled.add(reason);
  }

  @Override
  public void exit(String reason) {
    exits.add(reason);
  }
}
