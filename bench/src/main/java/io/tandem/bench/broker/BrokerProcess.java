package io.tandem.bench.broker;

import io.tandem.bench.BenchException;
import io.tandem.bench.artemis.ArtemisMain;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One broker JVM. Closing it stops it (SIGTERM, then SIGKILL) and waits until the process is gone;
 * close is idempotent.
 */
public final class BrokerProcess implements AutoCloseable {
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final BrokerKind kind;
  private final Process process;
  private final long spawnedNanos;
  private final Path log;
  private final int amqpPort;
  private final int adminPort;

  BrokerProcess(
      BrokerKind kind, Process process, long spawnedNanos, Path log, int amqpPort, int adminPort) {
    this.kind = kind;
    this.process = process;
    this.spawnedNanos = spawnedNanos;
    this.log = log;
    this.amqpPort = amqpPort;
    this.adminPort = adminPort;
  }

  public BrokerKind kind() {
    return kind;
  }

  public long pid() {
    return process.pid();
  }

  public int amqpPort() {
    return amqpPort;
  }

  public Path log() {
    return log;
  }

  /** {@code amqp://127.0.0.1:PORT}. */
  public String amqpUrl() {
    return "amqp://127.0.0.1:" + amqpPort;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Nanoseconds from spawning the JVM until the AMQP port accepted a TCP connection. */
  public long awaitAccepting(Duration timeout) {
    awaitCondition("accept connections on " + amqpPort, timeout, this::accepts);
    return System.nanoTime() - spawnedNanos;
  }

  /** Nanoseconds since the JVM was spawned. */
  public long sinceSpawnNanos() {
    return System.nanoTime() - spawnedNanos;
  }

  /** Waits until the broker says it is a standby (Tandem: /health 503; Artemis: its state line). */
  public void awaitStandby(Duration timeout) {
    if (kind == BrokerKind.TANDEM) {
      awaitCondition("answer /health with 503 (standby)", timeout, () -> health() == 503);
    } else {
      awaitCondition("report standby", timeout, () -> logContains(ArtemisMain.MARK + " standby"));
    }
  }

  /**
   * Waits until a Tandem backup's follower holds at least {@code messages} live messages ({@code
   * /state} {@code follower.live_messages}), so that a kill finds what a backup that follows the
   * store has read. An Artemis shared-store backup reads nothing before it activates: it returns at
   * once.
   */
  public void awaitFollowed(long messages, Duration timeout) {
    if (kind == BrokerKind.TANDEM) {
      awaitCondition(
          "follow " + messages + " live messages", timeout, () -> followed() >= messages);
    }
  }

  private long followed() {
    String state = admin("/state");
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"live_messages\"\\s*:\\s*(\\d+)").matcher(state);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /** The body of a GET of Tandem's admin {@code path}, or "" when it does not answer. */
  private String admin(String path) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
              .timeout(Duration.ofSeconds(2))
              .build();
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** Whether the log holds {@code text}. */
  public boolean logContains(String text) {
    return readLog().contains(text);
  }

  /** The last lines of the log, for error messages. */
  public String logTail(int lines) {
    List<String> all = readLog().lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /** Resident set size in bytes, from /proc. */
  public long rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.trim().split("\\s+");
          return Long.parseLong(parts[1]) * 1024;
        }
      }
    } catch (IOException e) {
      throw new BenchException(BenchException.Category.FAILED, "cannot read RSS of " + pid(), e);
    }
    throw new BenchException(BenchException.Category.FAILED, "no VmRSS for " + pid());
  }

  /** SIGKILL and wait until the process is gone. */
  public void kill() {
    process.destroyForcibly();
    awaitExit(STOP_GRACE);
  }

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!awaitExit(STOP_GRACE)) {
      process.destroyForcibly();
      awaitExit(STOP_GRACE);
    }
  }

  private boolean awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return false;
    }
  }

  private void awaitCondition(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long nextLogCheck = System.nanoTime();
    while (System.nanoTime() < deadline) {
      if (System.nanoTime() >= nextLogCheck) {
        failOnFatalError(what);
        nextLogCheck = System.nanoTime() + 1_000_000_000L;
      }
      if (!process.isAlive()) {
        throw new BenchException(
            BenchException.Category.FAILED,
            kind.label()
                + " exited with status "
                + process.exitValue()
                + " before it did "
                + what
                + "; log "
                + log
                + ":\n"
                + logTail(20));
      }
      if (condition.getAsBoolean()) {
        return;
      }
      pause(5);
    }
    throw new BenchException(
        BenchException.Category.TIMEOUT,
        kind.label() + " did not " + what + " within " + timeout + "; log " + log);
  }

  /**
   * A JVM whose main thread died of OutOfMemoryError may live on without ever serving; waiting the
   * whole time limit for it would only hide the cause.
   */
  private void failOnFatalError(String what) {
    String text = readLog();
    int at = text.indexOf("java.lang.OutOfMemoryError");
    if (at >= 0) {
      int lineStart = text.lastIndexOf('\n', at) + 1;
      int lineEnd = text.indexOf('\n', at);
      throw new BenchException(
          BenchException.Category.FAILED,
          kind.label()
              + " ran out of memory before it did "
              + what
              + " ("
              + text.substring(lineStart, lineEnd < 0 ? text.length() : lineEnd).trim()
              + "); log "
              + log);
    }
  }

  private boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", amqpPort), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The HTTP status of Tandem's /health, or -1 when it does not answer. */
  public int health() {
    if (adminPort <= 0) {
      return -1;
    }
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/health"))
              .timeout(Duration.ofSeconds(2))
              .build();
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private String readLog() {
    try {
      return Files.readString(log, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "";
    }
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchException(BenchException.Category.FAILED, "interrupted", e);
    }
  }
}
