package io.tandem.agent.broker;

import io.tandem.agent.AgentException;
import io.tandem.agent.BrokerRunner;
import io.tandem.agent.RunningBroker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Runs the broker and the store fence through the {@code tandem} launcher.
 *
 * <p>The fence is written with {@code tandem store fence STORE --epoch E}; if the fence already
 * holds more (a standalone broker or an operator raised it), {@code --raise} takes it one past
 * that, since the fence never goes down. The store directory must exist: a missing one usually
 * means the volume is not mounted, and creating it would fence an empty directory on the wrong
 * disk.
 */
public final class LauncherBrokerRunner implements BrokerRunner {
  private static final Logger LOG = Logger.getLogger(LauncherBrokerRunner.class.getName());
  private static final Duration FENCE_TIMEOUT = Duration.ofSeconds(60);
  private static final int EXIT_FENCED = 3;

  private final Path tandem;
  private final Path brokerConfig;
  private final Path store;
  private final URI health;
  private final Path brokerLog;
  private final PidFile pidFile;
  private final Duration probeTimeout;
  private final Duration stopTimeout;
  private final HttpClient http;

  /** A runner for the broker configured in {@code brokerConfig} on {@code store}. */
  public LauncherBrokerRunner(
      Path tandem,
      Path brokerConfig,
      Path store,
      URI health,
      Path brokerLog,
      Path pidFile,
      Duration probeTimeout,
      Duration stopTimeout) {
    this.tandem = tandem;
    this.brokerConfig = brokerConfig;
    this.store = store;
    this.health = health;
    this.brokerLog = brokerLog;
    this.pidFile = new PidFile(pidFile);
    this.probeTimeout = probeTimeout;
    this.stopTimeout = stopTimeout;
    this.http = HttpClient.newBuilder().connectTimeout(probeTimeout).build();
  }

  @Override
  public long fence(long epoch) {
    if (!Files.isDirectory(store)) {
      throw new AgentException(
          AgentException.Category.BROKER,
          "store directory " + store + " does not exist (is it mounted?)");
    }
    Outcome set = tandem("store", "fence", store.toString(), "--epoch", Long.toString(epoch));
    if (set.status() == EXIT_FENCED) {
      LOG.warning(
          "store fence holds more than epoch "
              + epoch
              + " ("
              + set.output()
              + "); raising it past that");
      set = tandem("store", "fence", store.toString(), "--raise");
    }
    if (set.status() != 0) {
      throw new AgentException(
          AgentException.Category.BROKER,
          "tandem store fence failed with status " + set.status() + ": " + set.output());
    }
    try {
      long fenced = Long.parseLong(set.output().strip());
      LOG.info("store fence of " + store + " holds epoch " + fenced);
      return fenced;
    } catch (NumberFormatException e) {
      throw new AgentException(
          AgentException.Category.BROKER,
          "tandem store fence printed '" + set.output() + "', not an epoch",
          e);
    }
  }

  @Override
  public RunningBroker start(long epoch) {
    List<String> command =
        List.of(
            tandem.toString(),
            "broker",
            "--config",
            brokerConfig.toString(),
            "--mode",
            "ha",
            "--epoch",
            Long.toString(epoch));
    try {
      Files.createDirectories(brokerLog.toAbsolutePath().getParent());
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(brokerLog.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      pidFile.write(p.toHandle());
      long pid = p.pid();
      p.onExit().thenRun(() -> forgetPid(pid));
      LOG.info(
          "started broker pid " + p.pid() + " at epoch " + epoch + " (output: " + brokerLog + ")");
      return new ChildBroker(p);
    } catch (IOException e) {
      throw new AgentException(
          AgentException.Category.BROKER,
          "cannot start " + String.join(" ", command) + ": " + e.getMessage(),
          e);
    }
  }

  @Override
  public int health() {
    HttpRequest request = HttpRequest.newBuilder(health).timeout(probeTimeout).GET().build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  @Override
  public String stopOrphan() {
    Optional<ProcessHandle> orphan = pidFile.live();
    if (orphan.isEmpty()) {
      pidFile.delete();
      return "";
    }
    ProcessHandle p = orphan.get();
    p.destroy();
    boolean gone = waitGone(p, stopTimeout);
    if (!gone) {
      p.destroyForcibly();
      gone = waitGone(p, Duration.ofSeconds(10));
    }
    pidFile.delete();
    return "a broker (pid "
        + p.pid()
        + ") left by an earlier agent process was still running: "
        + (gone ? "stopped it" : "it survived SIGKILL");
  }

  private void forgetPid(long pid) {
    try {
      pidFile.deleteIfNames(pid);
    } catch (AgentException e) {
      LOG.warning(e.getMessage());
    }
  }

  private static boolean waitGone(ProcessHandle p, Duration timeout) {
    try {
      p.onExit().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return !p.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !p.isAlive();
    }
  }

  private record Outcome(int status, String output) {}

  private Outcome tandem(String... args) {
    List<String> command = new java.util.ArrayList<>();
    command.add(tandem.toString());
    command.addAll(List.of(args));
    Path out = null;
    try {
      out = Files.createTempFile("tandem-fence", ".out");
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      if (!p.waitFor(FENCE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AgentException(
            AgentException.Category.BROKER,
            String.join(" ", command) + " did not finish within " + FENCE_TIMEOUT);
      }
      return new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new AgentException(
          AgentException.Category.BROKER,
          "cannot run " + String.join(" ", command) + ": " + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException(AgentException.Category.BROKER, "interrupted while fencing", e);
    } finally {
      if (out != null) {
        out.toFile().delete();
      }
    }
  }
}
