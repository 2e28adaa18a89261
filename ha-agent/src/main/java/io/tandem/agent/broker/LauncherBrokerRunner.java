package io.tandem.agent.broker;

import io.tandem.agent.AgentException;
import io.tandem.agent.BrokerRunner;
import io.tandem.agent.RunningBroker;
import io.tandem.agent.Standby;
import io.tandem.lock.StoreFence;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * Runs the broker and the store fence through the {@code tandem} launcher.
 *
 * <p>The fence is written in this process through the lock manager's {@link StoreFence}, so no JVM
 * start lies on the takeover's path: the lock's epoch, or one past what the fence holds if it
 * already holds more (a standalone broker or an operator raised it), since the fence never goes
 * down. The store directory must exist: a missing one usually means the volume is not mounted, and
 * creating it would fence an empty directory on the wrong disk.
 */
public final class LauncherBrokerRunner implements BrokerRunner {
  private static final Logger LOG = Logger.getLogger(LauncherBrokerRunner.class.getName());
  private static final Duration FENCE_TIMEOUT = Duration.ofSeconds(60);
  private static final File NO_INPUT = new File("/dev/null");

  private final Path tandem;
  private final Path brokerConfig;
  private final Path store;
  private final URI health;
  private final Path brokerLog;
  private final PidFile pidFile;
  private final Duration probeTimeout;
  private final Duration stopTimeout;
  private final HttpClient http;
  private final Standby kind;
  private WarmStandby standby;

  /**
   * A runner for the broker configured in {@code brokerConfig} on {@code store}; unless {@code
   * kind} is cold, it keeps a standby broker JVM waiting for the next start.
   */
  public LauncherBrokerRunner(
      Path tandem,
      Path brokerConfig,
      Path store,
      URI health,
      Path brokerLog,
      Path pidFile,
      Duration probeTimeout,
      Duration stopTimeout,
      Standby kind) {
    this.tandem = tandem;
    this.brokerConfig = brokerConfig;
    this.store = store;
    this.health = health;
    this.brokerLog = brokerLog;
    this.pidFile = new PidFile(pidFile);
    this.probeTimeout = probeTimeout;
    this.stopTimeout = stopTimeout;
    this.http = HttpClient.newBuilder().connectTimeout(probeTimeout).build();
    this.kind = kind;
  }

  @Override
  public long fence(long epoch) {
    if (!Files.isDirectory(store)) {
      throw new AgentException(
          AgentException.Category.BROKER,
          "store directory " + store + " does not exist (is it mounted?)");
    }
    long fenced =
        withinFenceTimeout(
            () -> {
              long before = StoreFence.read(store);
              if (before > epoch) {
                LOG.warning(
                    "store fence holds epoch "
                        + before
                        + ", more than the lock's epoch "
                        + epoch
                        + "; raising it past that");
              }
              return StoreFence.raiseAtLeast(store, epoch);
            });
    LOG.info("store fence of " + store + " holds epoch " + fenced);
    return fenced;
  }

  /*
   * A write to a store whose volume hangs (a dead NFS server, a failing SAN path) can block for
   * ever: it runs on its own daemon thread, and the agent gives up on it after FENCE_TIMEOUT.
   */
  private long withinFenceTimeout(java.util.function.LongSupplier write) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    Thread writer =
        new Thread(
            () -> {
              try {
                done.complete(write.getAsLong());
              } catch (RuntimeException e) {
                done.completeExceptionally(e);
              }
            },
            "store-fence");
    writer.setDaemon(true);
    writer.start();
    try {
      return done.get(FENCE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new AgentException(
          AgentException.Category.BROKER,
          "writing the store fence of " + store + " did not finish within " + FENCE_TIMEOUT);
    } catch (ExecutionException e) {
      throw new AgentException(
          AgentException.Category.BROKER,
          "cannot write the store fence of " + store + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException(AgentException.Category.BROKER, "interrupted while fencing", e);
    }
  }

  @Override
  public synchronized RunningBroker start(long epoch) {
    WarmStandby waiting = standby;
    standby = null;
    if (waiting != null) {
      if (waiting.alive() && waiting.activate(epoch)) {
        LOG.info("activated warm standby broker pid " + waiting.pid() + " at epoch " + epoch);
        return started(waiting.process());
      }
      String why =
          waiting.alive()
              ? " did not take the activation"
              : " had exited with status " + waiting.exitValue();
      waiting.stop();
      LOG.warning("warm standby broker pid " + waiting.pid() + why + "; starting the broker cold");
    } else if (kind.warm()) {
      LOG.warning("no warm standby broker waits; starting the broker cold");
    }
    Process p =
        launch(List.of("--mode", "ha", "--epoch", Long.toString(epoch)), Redirect.from(NO_INPUT));
    LOG.info(
        "started broker pid " + p.pid() + " at epoch " + epoch + " (output: " + brokerLog + ")");
    return started(p);
  }

  @Override
  public synchronized void standBy() {
    if (!kind.warm()) {
      return;
    }
    if (standby != null && standby.alive()) {
      return;
    }
    if (standby != null) {
      LOG.warning(
          "warm standby broker pid "
              + standby.pid()
              + " exited with status "
              + standby.exitValue()
              + " (see "
              + brokerLog
              + "); starting another");
    }
    List<String> args = new java.util.ArrayList<>(List.of("--mode", "ha"));
    args.addAll(kind.brokerArguments());
    standby = new WarmStandby(launch(args, Redirect.PIPE));
    LOG.info(
        "started warm standby broker pid "
            + standby.pid()
            + (kind == Standby.WARM_READING_STORE
                ? ": configuration loaded, reading the store, no listener (output: "
                : ": configuration loaded, no store, no listener (output: ")
            + brokerLog
            + ")");
  }

  @Override
  public synchronized void stopStandby() {
    WarmStandby waiting = standby;
    standby = null;
    if (waiting != null) {
      waiting.stop();
      LOG.info("warm standby broker pid " + waiting.pid() + " stopped");
    }
  }

  private RunningBroker started(Process p) {
    pidFile.write(p.toHandle());
    long pid = p.pid();
    p.onExit().thenRun(() -> forgetPid(pid));
    return new ChildBroker(p);
  }

  private Process launch(List<String> mode, Redirect input) {
    List<String> command = new ArrayList<>();
    command.addAll(List.of(tandem.toString(), "broker", "--config", brokerConfig.toString()));
    command.addAll(mode);
    try {
      Files.createDirectories(brokerLog.toAbsolutePath().getParent());
      return new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(Redirect.appendTo(brokerLog.toFile()))
          .redirectInput(input)
          .start();
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
}
