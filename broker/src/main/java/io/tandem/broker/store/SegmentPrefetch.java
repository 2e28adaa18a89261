package io.tandem.broker.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;

/**
 * Reads and checks the segment after the one a full recovery is applying, on threads of its own, so
 * that reading one segment overlaps applying the records of the one before it (reading and
 * checking, with the collections its arrays cause, is most of a full recovery's time). At most one
 * segment per journal is read ahead, and only while the heap has room for it. A scan read ahead is
 * used only if the limit it was read with still holds when its turn comes; otherwise the segment is
 * read again.
 */
final class SegmentPrefetch implements AutoCloseable {
  private record Ahead(long limit, CompletableFuture<SegmentScan> scan) {}

  private final StoreIo io;
  private final List<Journal> journals;
  private final BiFunction<Journal, Segment, Long> limits;
  private final ExecutorService readers;
  private final Map<Segment, Ahead> ahead = new HashMap<>();

  /**
   * @param limits how far a segment of a journal may be read ({@code -1}: all of it), as the
   *     recovery knows it now
   */
  SegmentPrefetch(StoreIo io, List<Journal> journals, BiFunction<Journal, Segment, Long> limits) {
    this.io = io;
    this.journals = journals;
    this.limits = limits;
    int threads =
        Math.max(1, Math.min(journals.size(), Runtime.getRuntime().availableProcessors()));
    this.readers =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "store-recovery-read");
              t.setDaemon(true);
              return t;
            });
    for (Journal j : journals) {
      List<Segment> segments = j.segments();
      if (!segments.isEmpty()) {
        readAhead(j, segments.get(0));
      }
    }
  }

  /**
   * The scan of {@code s} up to {@code limit} if it was read ahead with that limit, waiting for it;
   * else null (read it now). Either way the segment after it starts being read.
   */
  SegmentScan take(Segment s, long limit) throws IOException {
    Journal j = journalOf(s);
    if (j == null) {
      return null;
    }
    Segment next = after(j, s);
    if (next != null && !ahead.containsKey(next)) {
      readAhead(j, next);
    }
    Ahead a = ahead.remove(s);
    if (a == null || a.limit() != limit) {
      return null;
    }
    try {
      return a.scan().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    } catch (CancellationException e) {
      return null;
    }
  }

  private void readAhead(Journal j, Segment s) {
    if (!roomFor(s)) {
      return;
    }
    long limit = limits.apply(j, s);
    CompletableFuture<SegmentScan> scan =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return io.call("recovery: reading ahead " + s.path, () -> SegmentScan.of(s, limit));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            readers);
    ahead.put(s, new Ahead(limit, scan));
  }

  /**
   * A segment read ahead is held twice (the file's bytes and its frames' copies) next to the one
   * being applied: read ahead only while the heap has room for four times its size, counting
   * garbage as used, so that a heap sized for the live data never runs out for the sake of speed.
   */
  private static boolean roomFor(Segment s) {
    Runtime rt = Runtime.getRuntime();
    long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    try {
      return free > 4 * Files.size(s.path);
    } catch (IOException e) {
      return false;
    }
  }

  private Journal journalOf(Segment s) {
    for (Journal j : journals) {
      if (j.segments().contains(s)) {
        return j;
      }
    }
    return null;
  }

  private static Segment after(Journal j, Segment s) {
    List<Segment> segments = j.segments();
    int i = segments.indexOf(s);
    return i >= 0 && i + 1 < segments.size() ? segments.get(i + 1) : null;
  }

  /** Stops reading ahead; what was read and not taken is dropped. */
  @Override
  public void close() {
    ahead.values().forEach(a -> a.scan().cancel(false));
    ahead.clear();
    readers.shutdownNow();
  }
}
