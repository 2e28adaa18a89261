package io.tandem.broker.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Opens and inspects journal stores. */
public final class Stores {
  private Stores() {}

  /**
   * Opens the store in {@code options.dir()}: writes the epoch to {@code fence} durably (refusing
   * if it holds a greater one) before anything is read. Call {@link MessageStore#recover} next.
   */
  public static MessageStore open(StoreOptions options) {
    return JournalStore.open(options);
  }

  /**
   * Like {@link #open(StoreOptions)}, marking every store operation (opening, recovery, writes,
   * flushes, fence reads, segment creation and deletion) on {@code io} so that a {@link
   * StoreWatchdog} sees one that does not return.
   */
  public static MessageStore open(StoreOptions options, StoreIo io) {
    return JournalStore.open(options, io);
  }

  /**
   * Like {@link #open(StoreOptions, StoreIo)}, taking over what {@code follower} has read of the
   * store: its recovery reads only what the follower had not yet read, and recovers in full if the
   * follower has nothing to hand over (it stopped, lost track, or follows another directory).
   */
  public static MessageStore open(StoreOptions options, StoreIo io, StoreFollower follower) {
    return JournalStore.open(options, io, follower);
  }

  /** The epoch in {@code dir/fence}, 0 if there is none. */
  public static long fence(Path dir) {
    try {
      return Fence.read(dir);
    } catch (IOException e) {
      throw StoreErrors.io("cannot read " + dir.resolve(Fence.FILE), e);
    }
  }

  /**
   * The store's id ({@code store.id}, given when a broker first opens it), or empty if it has none.
   */
  public static java.util.Optional<String> identity(Path dir) {
    return StoreIdentity.read(dir);
  }

  /**
   * Raises the fence of the store in {@code dir} to {@code epoch}, durably, creating the directory
   * if needed: what an activator (ha-agent, a cluster manager's start action) does before it starts
   * a broker in {@code ha} mode. Refuses an epoch lower than the one the fence holds.
   *
   * @throws io.tandem.broker.BrokerException {@code FENCED} if the fence already holds a greater
   *     epoch
   */
  public static void raiseFence(Path dir, long epoch) {
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch must be positive: " + epoch);
    }
    try {
      StoreFiles.createDirectories(dir);
    } catch (IOException e) {
      throw StoreErrors.io("cannot create store directory " + dir, e);
    }
    Fence.raise(dir, epoch);
  }

  /**
   * Reads a store without changing it (e.g. a stopped broker's): sizes, records, epochs, live
   * messages, and every torn or corrupt range. Never throws for corruption; it is reported.
   */
  public static StoreReport inspect(Path dir) {
    List<Journal> journals = journals(dir, StoreOptions.DEFAULT_MINIMUM);
    return StoreReport.of(new Recovery(dir, journals, true, StoreOptions.DEFAULT_DUP_WINDOW).run());
  }

  /** Prints every record of the store in {@code dir}, read-only. */
  public static void dump(Path dir, java.io.PrintStream out) {
    StoreDump.print(dir, out);
  }

  /** Where one valid record of a segment file lies. */
  public record RecordExtent(long offset, int length) {
    /** The offset just after the record. */
    public long end() {
      return offset + length;
    }
  }

  /**
   * The valid records of one segment file, in order, read without changing it: what {@code tandem
   * storage-check} needs to replay a former owner's own records. A file that is not a segment of
   * this format gives none.
   */
  public static List<RecordExtent> recordExtents(Path segment) {
    Segment s = Segment.existing(segment).orElse(null);
    if (s == null) {
      return List.of();
    }
    try {
      return SegmentScan.of(s, -1).frames.stream()
          .map(l -> new RecordExtent(l.offset(), l.length()))
          .toList();
    } catch (IOException e) {
      throw StoreErrors.io("cannot read " + segment, e);
    }
  }

  static List<Journal> journals(Path dir, long minimum) {
    return List.of(
        new Journal(dir, Journal.META, JournalStore.metaSegmentSize(minimum)),
        new Journal(dir, Journal.SYNC, minimum),
        new Journal(dir, Journal.ASYNC, minimum));
  }
}
