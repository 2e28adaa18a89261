package io.tandem.broker.storagecheck;

import io.tandem.broker.BrokerException;
import io.tandem.lock.FencedLock;
import io.tandem.lock.Lease;
import io.tandem.lock.LockException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One participant's side of the contention test. Each grant writes the holder's mark to {@code
 * owner}, holds the lock for a moment, checks the mark is still its own, and increments {@code
 * counter} by read-modify-write. Two participants that were never granted at the same time leave
 * the counter equal to their grants together, never see each other's mark while holding, and never
 * share an epoch.
 */
final class LockContention {
  private static final Duration ACQUIRE = Duration.ofSeconds(30);

  /**
   * What one participant saw.
   *
   * @param grants locks obtained
   * @param contended grants that had to wait because the lock was held
   * @param clobbered grants during which the mark was overwritten by someone else
   * @param epochs the grants' epochs, in order
   * @param acquireMicros how long each acquire took
   * @param error why the participant stopped early, or null
   */
  record Outcome(
      int grants,
      int contended,
      int clobbered,
      List<Long> epochs,
      List<Long> acquireMicros,
      String error) {

    Map<String, String> toMap() {
      return Map.of(
          "grants", Integer.toString(grants),
          "contended", Integer.toString(contended),
          "clobbered", Integer.toString(clobbered),
          "epochs", epochs.stream().map(String::valueOf).collect(Collectors.joining(",")),
          "acquireMicros",
              acquireMicros.stream().map(String::valueOf).collect(Collectors.joining(",")),
          "error", error == null ? "" : error);
    }

    static Outcome fromMap(Map<String, String> m) {
      return new Outcome(
          Integer.parseInt(m.get("grants")),
          Integer.parseInt(m.get("contended")),
          Integer.parseInt(m.get("clobbered")),
          longs(m.get("epochs")),
          longs(m.get("acquireMicros")),
          m.get("error").isEmpty() ? null : m.get("error"));
    }

    private static List<Long> longs(String csv) {
      return csv == null || csv.isEmpty()
          ? List.of()
          : java.util.Arrays.stream(csv.split(",")).map(Long::valueOf).toList();
    }
  }

  private LockContention() {}

  static Outcome run(Path dir, LockSimulation sim, String participant, int rounds) {
    List<Long> epochs = new ArrayList<>();
    List<Long> micros = new ArrayList<>();
    int contended = 0;
    int clobbered = 0;
    java.util.SplittableRandom random = new java.util.SplittableRandom();
    try (FencedLock lock = sim.open(dir, participant)) {
      startTogether(dir, participant);
      for (int i = 0; i < rounds; i++) {
        long t0 = System.nanoTime();
        Optional<Lease> once = lock.tryAcquire();
        if (once.isEmpty()) {
          contended++;
        }
        try (Lease lease = once.isPresent() ? once.get() : lock.acquire(ACQUIRE)) {
          micros.add((System.nanoTime() - t0) / 1000);
          epochs.add(lease.epoch());
          String mark = participant + " " + lease.epoch();
          write(dir.resolve("owner"), mark);
          Thread.sleep(1);
          if (!mark.equals(read(dir.resolve("owner")))) {
            clobbered++;
          }
          String count = read(dir.resolve("counter"));
          write(
              dir.resolve("counter"),
              Long.toString(count.isEmpty() ? 1 : Long.parseLong(count) + 1));
        }
        // a pause longer than a waiter's polling interval (at most 10 ms) lets the lock change
        // hands
        Thread.sleep(random.nextInt(3, 15));
      }
      return new Outcome(epochs.size(), contended, clobbered, epochs, micros, null);
    } catch (LockException | BrokerException e) {
      return new Outcome(epochs.size(), contended, clobbered, epochs, micros, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(epochs.size(), contended, clobbered, epochs, micros, "interrupted");
    }
  }

  /**
   * Marks this participant ready and waits for the other, so that the rounds overlap and the lock
   * is really contended.
   */
  private static void startTogether(Path dir, String participant) throws InterruptedException {
    write(dir.resolve("ready-" + participant), participant);
    String other = participant.equals("peer") ? "checker" : "peer";
    long deadline = System.nanoTime() + ACQUIRE.toNanos();
    while (!java.nio.file.Files.exists(dir.resolve("ready-" + other))) {
      if (System.nanoTime() > deadline) {
        throw new BrokerException(
            BrokerException.Category.STORE_IO,
            "the other participant did not start contending within " + ACQUIRE.toSeconds() + " s");
      }
      Thread.sleep(1);
    }
  }

  /** Writes {@code text} in place, flushed: the file is opened anew, as another host would. */
  static void write(Path file, String text) {
    try (FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(false);
    } catch (IOException e) {
      throw new BrokerException(BrokerException.Category.STORE_IO, "cannot write " + file, e);
    }
  }

  static String read(Path file) {
    try {
      return java.nio.file.Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      throw new BrokerException(BrokerException.Category.STORE_IO, "cannot read " + file, e);
    }
  }
}
