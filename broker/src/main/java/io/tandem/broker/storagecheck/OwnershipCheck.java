package io.tandem.broker.storagecheck;

import io.tandem.broker.BrokerException;
import io.tandem.broker.store.StoreBatch;
import io.tandem.broker.store.Stores;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * Criterion 4, with the broker's own store and fence: this process owns a store, stores messages,
 * acknowledges some, then loses the lock while it keeps running (as a holder cut off from the lock
 * server would). The peer takes the lock and the store. This process, now the former owner, sends
 * through its store (the fence must refuse it) and appends, through a descriptor it opened while it
 * was the owner, copies of its own valid records. The peer recovers the store again and must find
 * exactly what it found before.
 */
final class OwnershipCheck {
  static final String NAME = "unique write ownership";
  private static final int MESSAGES = 10;
  private static final int ACKNOWLEDGED = 3;
  private static final int REPLAYED = ACKNOWLEDGED;
  private static final Duration WAIT = Duration.ofSeconds(30);

  private OwnershipCheck() {}

  static CriterionResult run(Session s) {
    Path store = s.runDir().resolve("ownership-store");
    String locks = s.options().locks().label();
    List<String> problems = new ArrayList<>();
    Map<String, Object> details = new LinkedHashMap<>();
    Map<String, String> taken;
    String lateOutcome;
    try {
      Files.createDirectories(store);
    } catch (IOException e) {
      throw new BrokerException(BrokerException.Category.STORE_IO, "cannot create " + store, e);
    }
    try (StoreOwner former = StoreOwner.take(store, s.options().locks(), "checker")) {
      storeMessages(former);
      Path segment = segment(store, former.epoch());
      try (FileChannel stale = FileChannel.open(segment, StandardOpenOption.WRITE)) {
        byte[] replay = leadingFrames(segment, REPLAYED);
        long end = validEnd(segment);
        former.loseLock();
        taken =
            s.answer(
                s.ask(Map.of("job", "take-ownership", "store", store.toString(), "locks", locks)),
                WAIT);
        long newEpoch = Long.parseLong(taken.get("epoch"));
        details.put("former_epoch", former.epoch());
        details.put("new_epoch", newEpoch);
        if (newEpoch <= former.epoch()) {
          problems.add(
              "the new owner's epoch " + newEpoch + " is not above the former's " + former.epoch());
        }
        lateOutcome = lateSend(former, problems);
        stale.write(ByteBuffer.wrap(replay), end);
        stale.force(false);
        details.put("replayed_bytes", replay.length);
      }
    } catch (IOException e) {
      throw new BrokerException(BrokerException.Category.STORE_IO, "former owner: " + e, e);
    }
    Map<String, String> again =
        s.answer(
            s.ask(Map.of("job", "recover-again", "store", store.toString(), "locks", locks)), WAIT);
    String expected =
        LongStream.rangeClosed(ACKNOWLEDGED + 1, MESSAGES)
            .mapToObj(Long::toString)
            .collect(Collectors.joining(","));
    details.put("recovered_by_new_owner", taken.get("ids"));
    details.put("recovered_again", again.get("ids"));
    if (!expected.equals(taken.get("ids"))) {
      problems.add(
          "the new owner recovered messages ["
              + taken.get("ids")
              + "], not the stored and unacknowledged ["
              + expected
              + "]");
    }
    if (!taken.get("ids").equals(again.get("ids"))
        || !taken.get("digest").equals(again.get("digest"))) {
      problems.add(
          "after the former owner's late writes the store recovers ["
              + again.get("ids")
              + "] instead of ["
              + taken.get("ids")
              + "]");
    }
    return verdict(problems, details, lateOutcome, again.get("ids"));
  }

  private static CriterionResult verdict(
      List<String> problems, Map<String, Object> details, String lateOutcome, String ids) {
    if (!problems.isEmpty()) {
      return new CriterionResult(
          NAME,
          false,
          String.join("; ", problems)
              + ". A broker that lost the store could still change it: after a failover a"
              + " zombie primary could corrupt the store or resurrect acknowledged messages.",
          details);
    }
    return new CriterionResult(
        NAME,
        true,
        "the former owner (epoch "
            + details.get("former_epoch")
            + ") lost the lock while running; the peer took it at epoch "
            + details.get("new_epoch")
            + " and raised the fence; "
            + lateOutcome
            + "; its "
            + details.get("replayed_bytes")
            + " bytes of replayed records (the adds of "
            + ACKNOWLEDGED
            + " acknowledged messages) written through a descriptor it still held did not change"
            + " what the new owner recovers (messages "
            + ids
            + ", same content)",
        details);
  }

  /** Stores messages 1..10, flushed, then acknowledges 1..3. */
  private static void storeMessages(StoreOwner owner) {
    for (long id = 1; id <= MESSAGES; id++) {
      await(owner.store().write(add(id)));
    }
    for (long id = 1; id <= ACKNOWLEDGED; id++) {
      await(
          owner
              .store()
              .write(
                  new StoreBatch.Builder()
                      .remove(new StoreBatch.Remove("queue:storage-check", id, true))
                      .build()));
    }
  }

  private static StoreBatch add(long id) {
    byte[] body = ("storage-check message " + id).getBytes(StandardCharsets.US_ASCII);
    return new StoreBatch.Builder()
        .add(new StoreBatch.Add(id, body, 0, List.of("queue:storage-check"), true))
        .build();
  }

  private static void await(CompletableFuture<Void> f) {
    try {
      f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new BrokerException(
          BrokerException.Category.STORE_IO, "store write failed: " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new BrokerException(
          BrokerException.Category.STORE_IO, "store write took over " + WAIT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrokerException(BrokerException.Category.STORE_IO, "interrupted", e);
    }
  }

  /** Sends through the former owner's store; the fence must refuse it. */
  private static String lateSend(StoreOwner former, List<String> problems) {
    CompletableFuture<Void> late = former.store().write(add(MESSAGES + 1));
    try {
      late.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      problems.add("the former owner's send after the fence moved was acknowledged");
      return "";
    } catch (ExecutionException e) {
      if (e.getCause() instanceof BrokerException b
          && b.category() == BrokerException.Category.FENCED) {
        return "its send through the store failed with FENCED (" + b.getMessage() + ")";
      }
      problems.add(
          "the former owner's late send failed, but not because of the fence: " + e.getCause());
      return "";
    } catch (TimeoutException e) {
      problems.add("the former owner's late send neither failed nor completed within " + WAIT);
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrokerException(BrokerException.Category.STORE_IO, "interrupted", e);
    }
  }

  /** The former owner's failsafe segment (sync-msgs.db, its epoch). */
  private static Path segment(Path store, long epoch) throws IOException {
    String prefix = String.format("%020d-", epoch);
    try (var files = Files.list(store.resolve("sync-msgs.db"))) {
      return files
          .filter(p -> p.getFileName().toString().startsWith(prefix))
          .sorted()
          .findFirst()
          .orElseThrow(() -> new IOException("no segment of epoch " + epoch + " in " + store));
    }
  }

  /** The bytes of the first {@code count} records of the segment, as the store reads them. */
  private static byte[] leadingFrames(Path segment, int count) throws IOException {
    List<Stores.RecordExtent> records = Stores.recordExtents(segment);
    if (records.size() < count) {
      throw new IOException(segment + " has fewer than " + count + " records");
    }
    byte[] all = Files.readAllBytes(segment);
    return java.util.Arrays.copyOfRange(
        all, (int) records.get(0).offset(), (int) records.get(count - 1).end());
  }

  /** Where the segment's valid records end. */
  private static long validEnd(Path segment) {
    List<Stores.RecordExtent> records = Stores.recordExtents(segment);
    return records.isEmpty() ? 0 : records.get(records.size() - 1).end();
  }
}
