package io.tandem.agent.control;

import io.tandem.agent.AgentException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Sends one request to a running agent's control socket. */
public final class ControlClient {
  /** How long {@code status} and {@code resume} wait for the agent unless told otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private static final int MAX_REPLY = 64 * 1024;

  private ControlClient() {}

  /** {@link #call(Path, String, Duration)} with {@link #DEFAULT_TIMEOUT}. */
  public static String call(Path socket, String request) {
    return call(socket, request, DEFAULT_TIMEOUT);
  }

  /**
   * Sends {@code request} and returns the body of an {@code ok} answer. Connecting, sending and
   * reading the whole answer share one deadline, {@code timeout} from now, so a stopped or hung
   * agent cannot block the caller.
   *
   * @throws AgentException {@code CONTROL_TIMEOUT} if the agent has not answered by the deadline;
   *     {@code CONTROL} if no agent listens or it answers with an error
   */
  public static String call(Path socket, String request, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        Selector selector = Selector.open()) {
      channel.configureBlocking(false);
      Exchange exchange = new Exchange(socket, channel.register(selector, 0), deadline, timeout);
      if (!channel.connect(UnixDomainSocketAddress.of(socket))) {
        exchange.await(SelectionKey.OP_CONNECT);
        channel.finishConnect();
      }
      ByteBuffer out = ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8));
      while (out.hasRemaining()) {
        if (channel.write(out) == 0) {
          exchange.await(SelectionKey.OP_WRITE);
        }
      }
      String reply = exchange.readAll(channel);
      if (reply.startsWith("ok\n")) {
        return reply.substring(3);
      }
      throw new AgentException(
          AgentException.Category.CONTROL,
          reply.isEmpty() ? "the agent closed the connection without answering" : reply.strip());
    } catch (IOException e) {
      throw new AgentException(
          AgentException.Category.CONTROL,
          "no agent answers on " + socket + " (" + e.getMessage() + ")",
          e);
    }
  }

  /**
   * Whether an agent owns {@code socket}: it answers a status request, or it accepts the connection
   * but does not answer in time (a stopped or hung agent still holds its socket).
   */
  public static boolean occupied(Path socket) {
    try {
      call(socket, "status");
      return true;
    } catch (AgentException e) {
      return e.category() == AgentException.Category.CONTROL_TIMEOUT;
    }
  }

  /** Describes a timeout for messages: whole seconds when it is, milliseconds otherwise. */
  public static String describe(Duration timeout) {
    long millis = timeout.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  // One connection's deadline: every wait for the socket ends at the same instant.
  private record Exchange(Path socket, SelectionKey key, long deadline, Duration timeout) {

    void await(int operation) throws IOException {
      key.interestOps(operation);
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AgentException(
              AgentException.Category.CONTROL_TIMEOUT,
              "the agent on " + socket + " did not answer within " + describe(timeout));
        }
        key.selector().selectedKeys().clear();
        if (key.selector().select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))) > 0) {
          return;
        }
      }
    }

    String readAll(SocketChannel channel) throws IOException {
      ByteArrayOutputStream reply = new ByteArrayOutputStream();
      ByteBuffer in = ByteBuffer.allocate(4096);
      while (true) {
        int n = channel.read(in);
        if (n < 0) {
          return reply.toString(StandardCharsets.UTF_8);
        }
        if (n == 0) {
          await(SelectionKey.OP_READ);
          continue;
        }
        reply.write(in.array(), 0, in.position());
        in.clear();
        if (reply.size() > MAX_REPLY) {
          throw new AgentException(
              AgentException.Category.CONTROL,
              "the agent on " + socket + " answered more than " + MAX_REPLY + " bytes");
        }
      }
    }
  }
}
