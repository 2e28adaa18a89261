package io.tandem.broker.destination;

import io.tandem.broker.store.MessageStore;
import io.tandem.broker.store.Recovered;
import io.tandem.broker.store.StoreBatch;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A store that records every batch written to it. Writes complete at once unless {@link #hold} is
 * set; then each waits until the test completes it, as a slow disk would make it wait.
 */
final class RecordingStore implements MessageStore {
  final List<StoreBatch> written = new ArrayList<>();
  final List<CompletableFuture<Void>> held = new ArrayList<>();
  final Set<String> duplicates = new HashSet<>();
  boolean hold;

  @Override
  public Recovered recover() {
    return Recovered.empty();
  }

  @Override
  public synchronized CompletableFuture<Void> write(StoreBatch batch) {
    written.add(batch);
    if (!hold) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> f = new CompletableFuture<>();
    held.add(f);
    return f;
  }

  @Override
  public boolean isDuplicate(String destination, String producerMessageId) {
    return duplicates.contains(destination + "|" + producerMessageId);
  }

  @Override
  public void close() {}

  synchronized StoreBatch last() {
    return written.get(written.size() - 1);
  }
}
