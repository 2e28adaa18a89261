package io.tandem.broker.store;

import io.tandem.broker.BrokerException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A writer in its own process for the fencing test: opens the store at the given epoch and writes
 * failsafe messages from four threads, printing {@code acked ID} or {@code failed ID CATEGORY} for
 * each, until it is fenced; then it exits with status 3.
 */
public final class FencedWriterChild {
  private FencedWriterChild() {}

  /** Arguments: store directory, epoch. */
  public static void main(String[] args) throws InterruptedException {
    Path dir = Path.of(args[0]);
    long epoch = Long.parseLong(args[1]);
    CountDownLatch fenced = new CountDownLatch(1);
    StoreOptions options =
        StoreFixture.options(dir, epoch).withOnFenced((own, fence) -> fenced.countDown());
    MessageStore store = Stores.open(options);
    store.recover();
    System.out.println("ready");
    AtomicLong ids = new AtomicLong();
    for (int t = 0; t < 4; t++) {
      Thread writer =
          new Thread(
              () -> {
                while (fenced.getCount() > 0) {
                  long id = ids.incrementAndGet();
                  StoreBatch b =
                      new StoreBatch.Builder()
                          .add(
                              new StoreBatch.Add(
                                  id, StoreFixture.body(id, 200), 0, List.of("queue:f"), true))
                          .build();
                  try {
                    store.write(b).join();
                    print("acked " + id);
                  } catch (RuntimeException e) {
                    Throwable c = e.getCause() == null ? e : e.getCause();
                    String category =
                        c instanceof BrokerException be ? be.category().name() : c.toString();
                    print("failed " + id + " " + category);
                  }
                }
              });
      writer.setDaemon(true);
      writer.start();
    }
    fenced.await();
    Thread.sleep(200);
    print("fenced");
    System.out.flush();
    Runtime.getRuntime().halt(3);
  }

  private static synchronized void print(String line) {
    System.out.println(line);
  }
}
