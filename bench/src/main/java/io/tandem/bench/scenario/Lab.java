package io.tandem.bench.scenario;

import io.tandem.bench.BenchException;
import io.tandem.bench.broker.BrokerKind;
import io.tandem.bench.broker.BrokerProcess;
import io.tandem.bench.broker.Brokers;
import io.tandem.bench.broker.Launch;
import io.tandem.process.disk.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** What a scenario works with: the broker launcher, the settings and a work directory. */
public final class Lab {
  /** How long a broker may take to start, recover included. */
  public static final Duration START_LIMIT = Duration.ofMinutes(3);

  private final Brokers brokers;
  private final Settings settings;
  private final Path work;
  private int sequence;

  public Lab(Brokers brokers, Settings settings, Path work) {
    this.brokers = brokers;
    this.settings = settings;
    this.work = work;
  }

  public Settings settings() {
    return settings;
  }

  Brokers brokers() {
    return brokers;
  }

  /** A new, empty directory under the work directory. */
  Path newDir(String label, BrokerKind kind) {
    Path dir = work.resolve(String.format("%03d-%s-%s", ++sequence, label, kind.key()));
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  /** Starts a standalone broker with an empty store and waits until it accepts connections. */
  BrokerProcess start(BrokerKind kind, String label) {
    return startIn(kind, newDir(label, kind));
  }

  /** Starts a standalone broker on the store under {@code dir}; waits until it accepts. */
  BrokerProcess startIn(BrokerKind kind, Path dir) {
    BrokerProcess b = brokers.spawn(Launch.single(kind, dir, Brokers.freePort()));
    try {
      b.awaitAccepting(START_LIMIT);
      return b;
    } catch (RuntimeException e) {
      b.close();
      throw e;
    }
  }

  /** Stops a broker and deletes its store; its log and configuration stay for reading. */
  static void stop(BrokerProcess b) {
    b.close();
    deleteStore(b.log().getParent());
  }

  /** Deletes a run's store (its log and configuration stay for reading). */
  static void deleteStore(Path dir) {
    delete(dir.resolve("store"));
  }

  static void delete(Path p) {
    try {
      Trees.delete(p);
    } catch (IOException e) {
      throw new BenchException(BenchException.Category.FAILED, "cannot delete " + p, e);
    }
  }
}
