package io.tandem.agent.control;

import io.tandem.agent.Agent;
import io.tandem.agent.AgentException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/** Serves the control socket of a running agent. Start once; close is idempotent. */
public final class ControlServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ControlServer.class.getName());
  private static final int MAX_REQUEST = 256;

  private final Path socket;
  private final Agent agent;
  private final Duration releaseTimeout;
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "control");
            t.setDaemon(true);
            return t;
          });
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private ServerSocketChannel server;

  /**
   * A server for {@code agent} on {@code socket}.
   *
   * @param releaseTimeout how long a release request waits for the lock to be given up
   */
  public ControlServer(Path socket, Agent agent, Duration releaseTimeout) {
    this.socket = socket;
    this.agent = agent;
    this.releaseTimeout = releaseTimeout;
  }

  /**
   * Binds the socket (removing a stale one) and serves it on a daemon thread.
   *
   * @throws AgentException {@code CONTROL} if another agent answers on it, {@code IO} otherwise
   */
  public ControlServer start() {
    if (!started.compareAndSet(false, true)) {
      throw new AgentException(AgentException.Category.CONTROL, "already started");
    }
    try {
      Files.createDirectories(socket.getParent());
      if (Files.exists(socket)) {
        if (ControlClient.occupied(socket)) {
          throw new AgentException(
              AgentException.Category.CONTROL,
              "another agent is running with control socket " + socket);
        }
        Files.delete(socket);
      }
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(socket));
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new AgentException(
          AgentException.Category.IO,
          "cannot open control socket " + socket + ": " + e.getMessage(),
          e);
    }
    threads.execute(this::accept);
    LOG.info("control socket " + socket);
    return this;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      if (server != null) {
        server.close();
        Files.deleteIfExists(socket);
      }
    } catch (IOException e) {
      LOG.warning("cannot remove control socket " + socket + ": " + e.getMessage());
    }
    threads.shutdownNow();
  }

  private void accept() {
    while (!closed.get()) {
      try {
        SocketChannel channel = server.accept();
        threads.execute(() -> answer(channel));
      } catch (IOException e) {
        if (!closed.get()) {
          LOG.warning("control socket: " + e.getMessage());
        }
      }
    }
  }

  private void answer(SocketChannel channel) {
    try (channel) {
      String request = readLine(channel);
      String reply;
      try {
        reply = "ok\n" + handle(request.strip());
      } catch (AgentException e) {
        reply = "error: " + e.getMessage() + "\n";
      }
      ByteBuffer out = ByteBuffer.wrap(reply.getBytes(StandardCharsets.UTF_8));
      while (out.hasRemaining()) {
        channel.write(out);
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.fine("control client went away: " + e.getMessage());
    }
  }

  private String handle(String request) {
    String[] words = request.split(" ");
    return switch (words[0]) {
      case "status" -> agent.machine().status().describe() + "\n";
      case "resume" -> {
        agent.resume();
        yield "hold-off ended; contending for the lock\n";
      }
      case "release" -> release(words.length > 1 ? parseMillis(words[1]) : null) + "\n";
      default ->
          throw new AgentException(
              AgentException.Category.CONTROL,
              "unknown request '" + request + "' (status, release [MILLIS], resume)");
    };
  }

  private String release(Duration holdOff) {
    LOG.info("release requested over the control socket");
    try {
      return agent.release(holdOff).get(releaseTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new AgentException(
          AgentException.Category.CONTROL,
          "the lock was not given up within " + releaseTimeout + "; see the agent's log");
    } catch (ExecutionException e) {
      throw new AgentException(AgentException.Category.CONTROL, e.getCause().getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException(AgentException.Category.CONTROL, "interrupted", e);
    }
  }

  private static Duration parseMillis(String text) {
    if (!text.matches("\\d{1,12}")) {
      throw new AgentException(
          AgentException.Category.CONTROL, "hold-off must be whole milliseconds: " + text);
    }
    return Duration.ofMillis(Long.parseLong(text));
  }

  private static String readLine(SocketChannel channel) throws IOException {
    ByteBuffer in = ByteBuffer.allocate(MAX_REQUEST);
    while (in.hasRemaining()) {
      if (channel.read(in) < 0) {
        break;
      }
      if (in.get(in.position() - 1) == '\n') {
        break;
      }
    }
    in.flip();
    return StandardCharsets.UTF_8.decode(in).toString();
  }
}
