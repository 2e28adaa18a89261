package io.tandem.broker.storagecheck;

import io.tandem.broker.BrokerException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Criterion 2: after each fdatasync, the peer opens the file and must read every acknowledged block
 * intact at once. A host crash or power cut is the two-phase mode's job ({@link TwoPhase}).
 */
final class PersistenceCheck {
  static final String NAME = "synchronous write persistence";
  private static final int GROUP = 16;

  private PersistenceCheck() {}

  static CriterionResult run(Session s) {
    Path file = s.runDir().resolve("persist.dat");
    long nonce = s.random().nextLong();
    int rounds = s.options().persistRounds();
    List<Long> roundTrips = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    long acked = 0;
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < GROUP; i++) {
          Blocks.write(ch, nonce, acked + i);
        }
        ch.force(false);
        acked += GROUP;
        long t0 = System.nanoTime();
        int step =
            s.ask(
                Map.of(
                    "job",
                    "verify-persisted",
                    "file",
                    file.toString(),
                    "nonce",
                    Long.toString(nonce)));
        Map<String, String> res = s.answer(step, Duration.ofSeconds(30));
        roundTrips.add((System.nanoTime() - t0) / 1_000_000);
        long intact = Long.parseLong(res.get("intact"));
        if (intact < acked) {
          problems.add(
              "round "
                  + (r + 1)
                  + ": the peer found block "
                  + intact
                  + " missing or damaged after fdatasync had acknowledged "
                  + acked
                  + " blocks");
        }
      }
    } catch (IOException e) {
      throw new BrokerException(BrokerException.Category.STORE_IO, "cannot write " + file, e);
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("rounds", rounds);
    details.put("blocks_acknowledged", acked);
    details.put("peer_round_trip_ms_max", roundTrips.stream().mapToLong(x -> x).max().orElse(0));
    if (!problems.isEmpty()) {
      return new CriterionResult(
          NAME,
          false,
          String.join("; ", problems)
              + ". Data acknowledged by fdatasync on this host was not there for the other"
              + " process: after a failover the new primary would miss messages the old one had"
              + " acknowledged (a write-back cache, or a client cache without close-to-open"
              + " consistency).",
          details);
    }
    return new CriterionResult(
        NAME,
        true,
        rounds
            + " rounds: after each fdatasync the peer opened the file and read all "
            + "acknowledged blocks intact ("
            + acked
            + " blocks in the end; request to answer at most "
            + details.get("peer_round_trip_ms_max")
            + " ms). A host crash or power cut is not part of this run: use --phase write, cut"
            + " the power, then --phase verify",
        details);
  }
}
