package io.tandem.agent.control;

import io.tandem.agent.AgentException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Sends one request to a running agent's control socket. */
public final class ControlClient {

  private ControlClient() {}

  /**
   * Sends {@code request} and returns the body of an {@code ok} answer.
   *
   * @throws AgentException {@code CONTROL} if no agent answers or it answers with an error
   */
  public static String call(Path socket, String request) {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      ByteBuffer out = ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8));
      while (out.hasRemaining()) {
        channel.write(out);
      }
      String reply =
          new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
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

  /** Whether an agent answers a status request on {@code socket}. */
  public static boolean answers(Path socket) {
    try {
      call(socket, "status");
      return true;
    } catch (AgentException e) {
      return false;
    }
  }
}
