package io.tandem.broker.storagecheck;

import io.tandem.broker.BrokerException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The two participants' only channel: files in {@code DIR/tandem-storage-check/}. The checker
 * creates {@code run-ID/}, writes its hello there and names the run in {@code current}; the peer
 * follows {@code current}, answers with its own hello and then executes numbered requests ({@code
 * req-N}), writing {@code res-N}. Every file is written whole and renamed into place, so a reader
 * sees all of it or nothing. Nothing here uses the network: if the peer's directory is not the same
 * storage, the hellos are simply never seen.
 */
final class Rendezvous {
  static final String BASE = "tandem-storage-check";
  private static final String CURRENT = "current";
  private static final Duration POLL = Duration.ofMillis(2);

  private final Path base;
  private final Path run;

  private Rendezvous(Path base, Path run) {
    this.base = base;
    this.run = run;
  }

  /** The checker's side: a fresh run directory, announced in {@code current}. */
  static Rendezvous create(Path dir) {
    Path base = dir.resolve(BASE);
    Path run = base.resolve("run-" + UUID.randomUUID().toString().substring(0, 8));
    try {
      Files.createDirectories(run);
      Rendezvous r = new Rendezvous(base, run);
      r.put(run.resolve("hello-checker"), identity());
      r.put(base.resolve(CURRENT), Map.of("run", run.getFileName().toString()));
      return r;
    } catch (IOException e) {
      throw io("cannot create " + run, e);
    }
  }

  /** The peer's side: waits for a run nobody joined yet and joins it; empty after the timeout. */
  static Optional<Rendezvous> join(Path dir, Duration timeout) {
    Path base = dir.resolve(BASE);
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      Map<String, String> current = read(base.resolve(CURRENT));
      if (current != null && current.get("run") != null) {
        Path run = base.resolve(current.get("run"));
        Rendezvous r = new Rendezvous(base, run);
        if (Files.exists(run.resolve("hello-checker"))
            && !Files.exists(run.resolve("hello-peer"))) {
          r.put(run.resolve("hello-peer"), identity());
          return Optional.of(r);
        }
      }
    } while (pause(deadline));
    return Optional.empty();
  }

  /** The peer's hello, once it wrote one; empty after the timeout. */
  Optional<Map<String, String>> awaitPeer(Duration timeout) {
    return Optional.ofNullable(await(run.resolve("hello-peer"), timeout));
  }

  /** Whether this run is still the one {@code current} names (a new check replaces it). */
  boolean isCurrent() {
    Map<String, String> current = read(base.resolve(CURRENT));
    return current != null && run.getFileName().toString().equals(current.get("run"));
  }

  Path dir() {
    return run;
  }

  void request(int step, Map<String, String> request) {
    put(run.resolve("req-" + step), request);
  }

  Map<String, String> awaitRequest(int step, Duration timeout) {
    return await(run.resolve("req-" + step), timeout);
  }

  void respond(int step, Map<String, String> result) {
    put(run.resolve("res-" + step), result);
  }

  /** The peer's result of {@code step}, or null after the timeout. */
  Map<String, String> awaitResult(int step, Duration timeout) {
    return await(run.resolve("res-" + step), timeout);
  }

  /** Asks the peer to end a job that runs until told (e.g. scanning while writers run). */
  void stop(int step) {
    put(run.resolve("stop-" + step), Map.of());
  }

  boolean stopped(int step) {
    return Files.exists(run.resolve("stop-" + step));
  }

  /** Removes the run; a peer still waiting sees {@code current} vanish. */
  void remove() {
    try {
      if (isCurrent()) {
        Files.deleteIfExists(base.resolve(CURRENT));
      }
      deleteTree(run);
    } catch (IOException e) {
      throw io("cannot remove " + run, e);
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static Map<String, String> await(Path file, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      Map<String, String> m = read(file);
      if (m != null) {
        return m;
      }
    } while (pause(deadline));
    return null;
  }

  private static boolean pause(long deadline) {
    if (System.nanoTime() > deadline) {
      return false;
    }
    try {
      Thread.sleep(POLL.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static Map<String, String> identity() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("host", hostName());
    m.put("pid", Long.toString(ProcessHandle.current().pid()));
    return m;
  }

  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }

  /** Writes the map as properties: temporary file, fdatasync, rename. */
  void put(Path file, Map<String, String> values) {
    Properties p = new Properties();
    p.putAll(values);
    StringWriter text = new StringWriter();
    try {
      p.store(text, null);
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer b = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(false);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw io("cannot write " + file, e);
    }
  }

  /** The properties in {@code file}, or null if it does not exist (yet). */
  static Map<String, String> read(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      Properties p = new Properties();
      p.load(new StringReader(text));
      Map<String, String> m = new LinkedHashMap<>();
      p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
      return m;
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw io("cannot read " + file, e);
    }
  }

  private static BrokerException io(String what, IOException e) {
    return new BrokerException(BrokerException.Category.STORE_IO, what + ": " + e, e);
  }
}
