package io.tandem.broker.store;

import io.tandem.broker.BrokerException;
import io.tandem.broker.BrokerException.Category;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * The durable store: three journals written by one thread with group commit. That thread takes
 * every batch queued while it was busy, appends their records, flushes the journals the synchronous
 * ones touched, re-reads {@code fence}, and only then completes their futures. A moved fence fails
 * the whole group and stops the store for good.
 */
final class JournalStore implements MessageStore {
  private static final Logger LOG = Logger.getLogger(JournalStore.class.getName());

  /** The store's lifecycle; {@link #transition} is the one place that changes it. */
  enum State {
    /** The fence holds this epoch; nothing read yet. */
    OPENED,
    /** Recovered; the writer thread accepts batches. */
    SERVING,
    /** Another epoch raised the fence; every write fails. */
    FENCED,
    /** An I/O error other than a full disk; every write fails. */
    FAILED,
    /** Closed; every write fails. */
    CLOSED
  }

  final StoreOptions options;
  final Journal meta;
  final Journal sync;
  final Journal async;
  final List<Journal> journals;
  private final AtomicReference<State> state = new AtomicReference<>(State.OPENED);

  /** The batches for the writer and the close signal; its monitor guards state changes too. */
  private final WriteQueue queue;

  private final ExecutorService preallocator =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "store-preallocator");
            t.setDaemon(true);
            return t;
          });
  StoreIndex index;
  StoreIo io;
  private Committer committer;
  private Thread writer;

  private JournalStore(StoreOptions options, SegmentChannels io) {
    this(
        options,
        List.of(
            new Journal(options.dir(), Journal.META, metaSegmentSize(options.minimumSize()), io),
            new Journal(options.dir(), Journal.SYNC, options.minimumSize(), io),
            new Journal(options.dir(), Journal.ASYNC, options.minimumSize(), io)));
  }

  private JournalStore(StoreOptions options, List<Journal> journals) {
    this.options = options;
    this.queue = new WriteQueue(options.clock());
    this.io = new StoreIo(options.clock());
    this.meta = journals.get(0);
    this.sync = journals.get(1);
    this.async = journals.get(2);
    this.journals = journals;
  }

  /** A store taking over what a follower read: its recovery reads only the rest. */
  private Recovery followed;

  /**
   * Like {@link #open(StoreOptions, StoreIo)}, taking over what {@code follower} read of the store
   * once the fence is raised; a follower with nothing to hand over leaves a full recovery.
   */
  static JournalStore open(StoreOptions options, StoreIo io, StoreFollower follower) {
    io.run("store open: fence raise in " + options.dir(), () -> raiseFence(options));
    Recovery r = follower.handOver(options, io);
    JournalStore s =
        r == null
            ? new JournalStore(options, SegmentChannels.SYSTEM)
            : new JournalStore(options, r.journals());
    s.io = io;
    s.followed = r;
    return s;
  }

  static long metaSegmentSize(long minimum) {
    return Math.min(minimum, 4L * 1024 * 1024);
  }

  /** Raises the fence to the options' epoch, durably, before anything is read. */
  static JournalStore open(StoreOptions options) {
    return open(options, SegmentChannels.SYSTEM);
  }

  /** Like {@link #open(StoreOptions)}, with segments written and read through {@code io}. */
  static JournalStore open(StoreOptions options, SegmentChannels io) {
    raiseFence(options);
    return new JournalStore(options, io);
  }

  private static void raiseFence(StoreOptions options) {
    try {
      StoreFiles.createDirectories(options.dir());
    } catch (IOException e) {
      throw StoreErrors.io("cannot create store directory " + options.dir(), e);
    }
    Fence.raise(options.dir(), options.epoch());
    LOG.info("store " + options.dir() + " fenced at epoch " + options.epoch());
    StoreIdentity.ensure(options.dir());
  }

  /** Like {@link #open(StoreOptions)}, marking its work and all later store I/O on {@code io}. */
  static JournalStore open(StoreOptions options, StoreIo io) {
    JournalStore s = io.get("store open: fence raise in " + options.dir(), () -> open(options));
    s.io = io;
    return s;
  }

  /** The preallocator's executor, marking each segment it creates for the watchdog. */
  private void preallocate(Runnable task) {
    preallocator.execute(() -> io.run("segment preallocation", task));
  }

  State state() {
    return state.get();
  }

  boolean transition(State from, State to, String reason) {
    if (!state.compareAndSet(from, to)) {
      return false;
    }
    LOG.info("store " + from + " -> " + to + ": " + reason);
    return true;
  }

  @Override
  @SuppressWarnings("try") // the operation marks the whole epoch start for the watchdog
  public Recovered recover() {
    if (state.get() != State.OPENED) {
      throw new IllegalStateException("store already recovered or closed");
    }
    long t0 = options.clock().nanos();
    Recovery r = followed;
    followed = null;
    if (r == null) {
      r = new Recovery(options.dir(), journals, options.forceStart(), options.dupDetectWindow());
      r.watchedBy(io).run();
    } else {
      LOG.info("store taken over from its follower: only what it had not read was read");
    }
    index = r.index;
    Recovered recovered = recovered(r);
    if (recovered == null) {
      // what the follower built does not match what it read: read it all again, as without one
      r = new Recovery(options.dir(), journals, options.forceStart(), options.dupDetectWindow());
      r.watchedBy(io).run();
      index = r.index;
      recovered = recovered(r);
    }
    try (StoreIo.Operation op = io.begin("epoch start: limits record, flush, fence read")) {
      for (Journal j : journals) {
        j.startWriting(options.epoch(), this::preallocate);
      }
      // the problems alone: a whole report counts every live message's queues
      committer = new Committer(this, StoreReport.anyCorrupt(r.problems));
      committer.startEpoch();
    } catch (IOException e) {
      throw StoreErrors.io("cannot start writing store " + options.dir(), e);
    }
    transition(
        State.OPENED,
        State.SERVING,
        "recovered in " + (options.clock().nanos() - t0) / 1_000_000 + " ms");
    LOG.info(
        "store recovered: "
            + recovered.liveMessages()
            + " live messages, "
            + recovered.subscriptions().size()
            + " durable subscriptions, last message id "
            + recovered.lastMessageId()
            + (recovered.cleanShutdown() ? "" : "; the previous broker did not stop cleanly"));
    writer = new Thread(this::runWriter, "store-writer");
    writer.setDaemon(true);
    writer.start();
    return recovered;
  }

  private Recovered recovered(Recovery r) {
    List<SubscriptionRecord> subs =
        r.index.subscriptions.values().stream().map(StoreIndex.SubscriptionState::record).toList();
    StoreFollower.Mirror mirror = r.index.mirror;
    r.index.mirror = null;
    if (mirror == null) {
      return recovered(r, subs);
    }
    // one pass over the index: the broker takes the messages from the mirror, not from here
    long refs = r.index.releaseBodies();
    String incomplete = mirror.incomplete();
    if (incomplete == null && mirror.references() == refs) {
      return new Recovered(
          List.of(), subs, r.index.maxMessageId, r.clean, mirror, r.index.messages.size());
    }
    LOG.warning(
        "store follower's queues not taken over ("
            + (incomplete != null
                ? incomplete
                : mirror.references() + " references against the index's " + refs)
            + "); recovering the store in full");
    return null;
  }

  private Recovered recovered(Recovery r, List<SubscriptionRecord> subs) {
    List<Recovered.RecoveredMessage> messages = new ArrayList<>();
    List<StoreIndex.Entry> live = new ArrayList<>(r.index.messages.values());
    // Deliveries are not journaled: after an unclean stop any live message may have reached a
    // consumer that never settled it, so each counts as delivered once (JMSRedelivered=true).
    int inDoubtDeliveries = r.clean ? 0 : 1;
    live.sort(Comparator.comparingLong(e -> e.messageId));
    for (StoreIndex.Entry e : live) {
      messages.add(
          new Recovered.RecoveredMessage(
              e.messageId,
              e.data,
              e.expiresAt,
              e.refs.size() == 1 ? List.of(e.refs.get(0)) : List.copyOf(e.refs),
              inDoubtDeliveries,
              e.prepared));
      e.data = null;
      e.prepared = null;
    }
    return new Recovered(messages, subs, r.index.maxMessageId, r.clean);
  }

  /** Group commits that flushed, and batches committed: their ratio shows group commit at work. */
  record CommitCounters(long flushes, long batches) {}

  CommitCounters commitCounters() {
    Committer c = committer;
    return c == null ? new CommitCounters(0, 0) : new CommitCounters(c.flushes(), c.batches());
  }

  volatile CommitObserver commitObserver = (batches, nanos) -> {};

  @Override
  public long epoch() {
    return options.epoch();
  }

  @Override
  public void observeCommits(CommitObserver observer) {
    commitObserver = observer;
  }

  @Override
  public void retainRecoveredDuplicates(java.time.Duration period) {
    StoreIndex i = index;
    if (i != null) {
      // dated on the wall clock, as the window's retention always was
      i.window.retainCurrent(
          options.clock().wallMillis() + period.toMillis(), options.clock()::wallMillis);
    }
  }

  @Override
  public boolean isDuplicate(String destination, String producerMessageId) {
    StoreIndex i = index;
    return i != null
        && destination != null
        && producerMessageId != null
        && i.window.contains(destination, producerMessageId);
  }

  @Override
  public CompletableFuture<Void> write(StoreBatch batch) {
    long data = 0;
    for (StoreBatch.Add a : batch.adds()) {
      data += a.data().length;
    }
    if (data > StoreOptions.MAX_BATCH_BYTES) {
      // refused before it is queued or encoded; the writer checks the exact encoded size again
      return CompletableFuture.failedFuture(StoreErrors.tooLarge(data));
    }
    CompletableFuture<Void> f = new CompletableFuture<>();
    synchronized (queue) {
      State s = state.get();
      if (s != State.SERVING) {
        return CompletableFuture.failedFuture(refusal(s));
      }
      queue.add(new WriteQueue.Pending(batch, f));
    }
    return f;
  }

  BrokerException refusal(State s) {
    return switch (s) {
      case FENCED ->
          new BrokerException(
              Category.FENCED,
              "store fenced: another broker owns it (this broker's epoch is "
                  + options.epoch()
                  + ")");
      case FAILED ->
          new BrokerException(
              Category.STORE_IO, "store stopped writing after an I/O error; see the broker log");
      default -> StoreErrors.closed();
    };
  }

  /**
   * Called by the writer after an I/O error that is not a full disk: after a failed write or flush
   * the journal's state on disk is unknown, so nothing more may be acknowledged.
   */
  void failed(BrokerException cause) {
    synchronized (queue) {
      State s = state.get();
      if (s == State.FENCED
          || s == State.FAILED
          || !transition(s, State.FAILED, "I/O error: " + cause.getMessage())) {
        return;
      }
    }
    LOG.severe("STORE FAILED: " + cause.getMessage() + "; no further writes");
    failQueued(refusal(State.FAILED));
    try {
      options.onFenced().failed(cause);
    } catch (RuntimeException e) {
      LOG.log(java.util.logging.Level.SEVERE, "store failure listener failed", e);
    }
  }

  private void runWriter() {
    try {
      committer.run(queue);
    } catch (RuntimeException | Error e) {
      LOG.log(java.util.logging.Level.SEVERE, "store writer failed", e);
      // whatever the writer was doing is unfinished: nothing more may be acknowledged
      failed(new BrokerException(Category.STORE_IO, "store writer failed: " + e, e));
      failQueued(new BrokerException(Category.STORE_IO, "store writer failed: " + e, e));
      throw e;
    }
  }

  /** Fails everything still queued. */
  void failQueued(BrokerException failure) {
    for (WriteQueue.Pending p : queue.drain()) {
      p.future().completeExceptionally(failure);
    }
  }

  /** Called by the writer when the fence moved: stop everything, then tell the listener. */
  void fenced(long fenceEpoch) {
    synchronized (queue) {
      State s = state.get();
      if (s == State.FENCED || !transition(s, State.FENCED, "fence moved to " + fenceEpoch)) {
        return;
      }
    }
    LOG.severe(
        "FENCED: store fence moved from "
            + options.epoch()
            + " to "
            + fenceEpoch
            + "; another broker owns the store; no further writes");
    failQueued(refusal(State.FENCED));
    try {
      options.onFenced().fenced(options.epoch(), fenceEpoch);
    } catch (RuntimeException e) {
      LOG.log(java.util.logging.Level.SEVERE, "fence listener failed", e);
    }
  }

  /**
   * Closes once; a repeated close returns at once. The one way to stop the writer: the move to
   * CLOSED (a compare-and-set, so only one caller wins) and the close signal on the write queue
   * happen under the queue's monitor, so every batch queued before it is committed and none after.
   * The writer then writes the clean-shutdown record and returns; a writer that already stopped
   * (fenced or failed) ignores the signal.
   */
  @Override
  public void close() {
    synchronized (queue) {
      State s = state.get();
      if (s == State.CLOSED || !transition(s, State.CLOSED, "close requested")) {
        return;
      }
      queue.signalClose();
    }
    Thread w = writer;
    if (w != null && w != Thread.currentThread()) {
      try {
        w.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    failQueued(StoreErrors.closed());
    io.run("store close", () -> journals.forEach(Journal::close));
    preallocator.shutdownNow();
  }
}
