package io.tandem.campaign;

import io.tandem.testing.JsonTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Samples every member's {@code /state} and the store's {@code fence} throughout the campaign, each
 * on a thread of its own (a stopped member must not slow the sampling of the other), and checks
 * afterwards that there never were two primaries. The rules are in docs/reliability.md:
 *
 * <ul>
 *   <li>a sample says the member was in its role at some instant between the request ({@code sent})
 *       and the answer ({@code got});
 *   <li>the same epoch reported {@code active} by two members is a violation whatever the times
 *       (each activation takes an epoch above every earlier one);
 *   <li>a newer epoch E begins when the fence file first reads E or a member first answers {@code
 *       active} at E, whichever is first; a member answering {@code active} at an older epoch to a
 *       request sent after that is a stale primary. It is a violation when its failsafe queues'
 *       {@code enqueued} count in that answer is above the count it gave in an earlier answer to a
 *       request also sent after E began: the old primary took in (and so acknowledged) work after
 *       the new one owned the store. An answer from before E is no baseline: it tells the count at
 *       an instant before E, and a primary stopped right after it (SIGSTOP) may have taken more
 *       before E began and report it only once it runs again.
 * </ul>
 */
final class PrimaryWatch implements AutoCloseable {
  private static final long PERIOD_MS = 50;

  /** One answer of a member's {@code /state} (role "down" when nothing answered). */
  record Sample(String member, long sent, long got, String role, long epoch, long enqueued) {}

  /** One read of the store's fence file. */
  record FenceRead(long got, long epoch) {}

  private final List<Member> members;
  private final Path fence;
  private final String queuePrefix;
  private final Queue<Sample> samples = new ConcurrentLinkedQueue<>();
  private final Queue<FenceRead> fences = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();

  PrimaryWatch(List<Member> members, Path store, String queuePrefix) {
    this.members = members;
    this.fence = store.resolve("fence");
    this.queuePrefix = queuePrefix;
  }

  PrimaryWatch start() {
    for (Member m : members) {
      threads.add(loop("watch-" + m.host.name(), () -> sample(m)));
    }
    threads.add(loop("watch-fence", this::readFence));
    return this;
  }

  private Thread loop(String name, Runnable body) {
    Thread t =
        new Thread(
            () -> {
              while (running.get()) {
                body.run();
                try {
                  TimeUnit.MILLISECONDS.sleep(PERIOD_MS);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private void sample(Member m) {
    long sent = System.nanoTime();
    JsonTree s = m.state().orElse(null);
    long got = System.nanoTime();
    if (s == null) {
      samples.add(new Sample(m.host.name(), sent, got, "down", -1, -1));
      return;
    }
    long epoch = s.get("epoch") instanceof Number n ? n.longValue() : -1;
    samples.add(new Sample(m.host.name(), sent, got, s.string("role"), epoch, enqueued(s)));
  }

  private long enqueued(JsonTree s) {
    if (!(s.get("queues") instanceof List<?> queues)) {
      return -1;
    }
    long sum = 0;
    for (Object q : queues) {
      if (q instanceof Map<?, ?> map
          && map.get("name") instanceof String name
          && name.startsWith(queuePrefix)
          && map.get("enqueued") instanceof Number n) {
        sum += n.longValue();
      }
    }
    return sum;
  }

  private void readFence() {
    try {
      String text = Files.readString(fence).strip();
      if (!text.isEmpty()) {
        fences.add(new FenceRead(System.nanoTime(), Long.parseLong(text)));
      }
    } catch (IOException | NumberFormatException e) {
      // not written yet, or caught mid-replace: the next read tells
    }
  }

  List<Sample> samples() {
    return new ArrayList<>(samples);
  }

  List<FenceRead> fenceReads() {
    return new ArrayList<>(fences);
  }

  long sampleCount() {
    return samples.size();
  }

  /** What the check found: violations (must be none) and stale, harmless reports. */
  record Verdict(List<String> violations, int staleReports) {}

  Verdict check() {
    return check(samples(), fenceReads());
  }

  /** The check over {@code samples} and {@code fences}, however they were gathered. */
  static Verdict check(List<Sample> samples, List<FenceRead> fences) {
    List<Sample> active =
        samples.stream()
            .filter(s -> s.role().equals("active") && s.epoch() > 0)
            .sorted(Comparator.comparingLong(Sample::sent))
            .toList();
    List<String> violations = new ArrayList<>();
    Map<Long, String> owner = new TreeMap<>();
    Map<Long, Long> begins = new TreeMap<>();
    for (Sample s : active) {
      String first = owner.putIfAbsent(s.epoch(), s.member());
      if (first != null && !first.equals(s.member())) {
        violations.add("epoch " + s.epoch() + " active on both " + first + " and " + s.member());
      }
      begins.merge(s.epoch(), s.got(), Math::min);
    }
    for (FenceRead f : fences) {
      begins.merge(f.epoch(), f.got(), Math::min);
    }
    int stale = 0;
    for (Sample s : active) {
      for (Map.Entry<Long, Long> newer : begins.entrySet()) {
        if (newer.getKey() <= s.epoch() || s.sent() <= newer.getValue()) {
          continue;
        }
        stale++;
        long before = staleBaseline(active, s, newer.getValue());
        if (before >= 0 && s.enqueued() > before) {
          violations.add(
              String.format(
                  "%s still active at epoch %d %d ms after epoch %d began, and took %d more"
                      + " messages meanwhile",
                  s.member(),
                  s.epoch(),
                  (s.sent() - newer.getValue()) / 1_000_000,
                  newer.getKey(),
                  s.enqueued() - before));
        }
        break;
      }
    }
    return new Verdict(violations, stale);
  }

  /**
   * The highest count {@code stale}'s member gave at its epoch in an answer to a request sent after
   * {@code begin} and answered before {@code stale} was requested; -1 if there is none.
   */
  private static long staleBaseline(List<Sample> active, Sample stale, long begin) {
    long before = -1;
    for (Sample s : active) {
      if (s.member().equals(stale.member())
          && s.epoch() == stale.epoch()
          && s.sent() > begin
          && s.got() <= stale.sent()) {
        before = Math.max(before, s.enqueued());
      }
    }
    return before;
  }

  @Override
  public void close() {
    running.set(false);
    for (Thread t : threads) {
      t.interrupt();
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
