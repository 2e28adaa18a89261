package io.tandem.broker.storagecheck;

import io.tandem.broker.BrokerException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The power-cut test of synchronous write persistence, in two runs of the command: {@code --phase
 * write} appends blocks with an fdatasync after each group, records and prints every acknowledged
 * count, until its time is up or the host dies; {@code --phase verify}, after the host is back,
 * checks that every acknowledged block is intact. The counts printed during the write phase, kept
 * on another machine (for example by piping the output over ssh), are the strongest evidence: pass
 * the last one with {@code --acknowledged}; the manifest in the directory is on the storage under
 * test and could be lost with the data.
 */
public final class TwoPhase {
  static final String DATA = "tandem-storage-check-persistence.dat";
  static final String MANIFEST = "tandem-storage-check-persistence.ack";
  static final String NAME = "synchronous write persistence across a crash";
  private static final int GROUP = 16;
  private static final long PRINT_EVERY_NANOS = Duration.ofMillis(100).toNanos();

  private TwoPhase() {}

  /** The write phase: runs for {@code duration} (or until the host or process dies). */
  public static void write(Path dir, Duration duration, PrintWriter out) {
    requireDirectory(dir);
    Path data = dir.resolve(DATA);
    long nonce = new Random().nextLong();
    long acked = 0;
    try {
      Files.deleteIfExists(data);
      record(dir, nonce, 0);
      out.println("write phase: writing " + data + " for " + duration.toSeconds() + " s");
      out.flush();
      long deadline = System.nanoTime() + duration.toNanos();
      long printed = 0;
      try (FileChannel ch =
          FileChannel.open(data, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        while (System.nanoTime() < deadline) {
          for (int i = 0; i < GROUP; i++) {
            Blocks.write(ch, nonce, acked + i);
          }
          ch.force(false);
          acked += GROUP;
          record(dir, nonce, acked);
          if (System.nanoTime() - printed > PRINT_EVERY_NANOS) {
            out.println("acknowledged " + acked);
            out.flush();
            printed = System.nanoTime();
          }
        }
      }
    } catch (IOException e) {
      throw new BrokerException(BrokerException.Category.STORE_IO, "write phase: " + e, e);
    }
    out.println("acknowledged " + acked);
    out.println(
        "write phase done: "
            + acked
            + " blocks acknowledged. To test a crash, cut the power or reset the host while the"
            + " write phase runs; afterwards run: tandem storage-check --phase verify "
            + dir);
    out.flush();
  }

  /** The verify phase: every block acknowledged (by the manifest or by the operator) is intact. */
  public static CheckReport verify(Path dir, long acknowledged) {
    requireDirectory(dir);
    Map<String, String> manifest = Rendezvous.read(dir.resolve(MANIFEST));
    if (manifest == null) {
      throw new BrokerException(
          BrokerException.Category.CONFIG,
          "no write phase ran in " + dir + " (" + MANIFEST + " is missing)");
    }
    long nonce = Long.parseLong(manifest.get("nonce"));
    long recorded = Long.parseLong(manifest.get("acknowledged"));
    long required = Math.max(recorded, acknowledged);
    Blocks.Scan scan = Blocks.scan(dir.resolve(DATA), nonce, 0);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("acknowledged_in_manifest", recorded);
    details.put("acknowledged_given", acknowledged);
    details.put("intact_prefix", scan.firstInvalid());
    details.put("blocks_in_file", scan.blocks());
    boolean passed = scan.firstInvalid() >= required;
    String evidence =
        passed
            ? "all "
                + required
                + " acknowledged blocks are intact (manifest "
                + recorded
                + ", --acknowledged "
                + acknowledged
                + "; "
                + (scan.firstInvalid() - required)
                + " unacknowledged blocks survived as well)"
            : "block "
                + scan.firstInvalid()
                + " is missing or damaged although "
                + required
                + " blocks had been acknowledged by fdatasync (manifest "
                + recorded
                + ", --acknowledged "
                + acknowledged
                + "): the storage, or a cache in front of it, acknowledged a flush it had not"
                + " made durable. A broker on it loses acknowledged failsafe messages in a crash,"
                + " whichever availability mode it runs in.";
    return new CheckReport(
        dir,
        Rendezvous.hostName(),
        null,
        List.of(new CriterionResult(NAME, passed, evidence, details)),
        Map.of());
  }

  private static void record(Path dir, long nonce, long acked) throws IOException {
    Path tmp = dir.resolve(MANIFEST + ".tmp");
    LockContention.write(tmp, "nonce=" + nonce + "\nacknowledged=" + acked + "\n");
    Files.move(
        tmp,
        dir.resolve(MANIFEST),
        java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  private static void requireDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new BrokerException(
          BrokerException.Category.CONFIG,
          dir + " is not a directory (is the shared volume mounted?)");
    }
  }
}
