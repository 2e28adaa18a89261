package io.tandem.agent;

import io.tandem.process.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/*
 * Brokers that exist only in memory: the test sets their health and makes them exit. A stop
 * timeout runs on the test's clock.
 */
final class FakeBrokers implements BrokerRunner {
  private final Clock clock;
  final List<Broker> started = new CopyOnWriteArrayList<>();
  final List<Long> fenced = new CopyOnWriteArrayList<>();
  volatile int health = 200;
  volatile long fenceHolds;
  volatile boolean ignoreSigterm;

  FakeBrokers(Clock clock) {
    this.clock = clock;
  }

  @Override
  public long fence(long epoch) {
    fenced.add(epoch);
    fenceHolds = Math.max(fenceHolds + 1, epoch);
    return fenceHolds;
  }

  @Override
  public RunningBroker start(long epoch) {
    Broker b = new Broker(1000 + started.size(), epoch, ignoreSigterm, clock);
    started.add(b);
    return b;
  }

  @Override
  public int health() {
    return health;
  }

  @Override
  public String stopOrphan() {
    return "";
  }

  Broker last() {
    return started.get(started.size() - 1);
  }

  static final class Broker implements RunningBroker {
    final long pid;
    final long epoch;
    final boolean ignoreSigterm;
    final AtomicInteger sigterms = new AtomicInteger();
    final AtomicInteger sigkills = new AtomicInteger();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final Clock clock;

    Broker(long pid, long epoch, boolean ignoreSigterm, Clock clock) {
      this.pid = pid;
      this.epoch = epoch;
      this.ignoreSigterm = ignoreSigterm;
      this.clock = clock;
      exit.thenRun(
          () -> {
            synchronized (this) {
              notifyAll();
            }
          });
    }

    void exit(int status) {
      exit.complete(status);
    }

    boolean alive() {
      return !exit.isDone();
    }

    @Override
    public long pid() {
      return pid;
    }

    @Override
    public OptionalInt exitCode() {
      return exit.isDone() ? OptionalInt.of(exit.join()) : OptionalInt.empty();
    }

    @Override
    public void onExit(Runnable action) {
      exit.thenRun(action);
    }

    @Override
    public void terminate() {
      sigterms.incrementAndGet();
      if (!ignoreSigterm) {
        exit.complete(0);
      }
    }

    @Override
    public void kill() {
      sigkills.incrementAndGet();
      exit.complete(137);
    }

    @Override
    public boolean awaitExit(Duration timeout) {
      synchronized (this) {
        try {
          return clock.await(this, exit::isDone, clock.nanos() + timeout.toNanos());
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }
    }
  }
}
