package io.tandem.agent.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.agent.AgentException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlClientTest {
  @TempDir Path dir;

  @Test
  void shouldGiveUpWithATimeoutWhenTheAgentAcceptsButNeverAnswers() throws Exception {
    Path socket = dir.resolve("agent.sock");
    // Bound but never accepting: the kernel completes the connection, as for a stopped agent.
    try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      silent.bind(UnixDomainSocketAddress.of(socket));
      long start = System.nanoTime();
      AgentException e =
          assertThrows(
              AgentException.class,
              () -> ControlClient.call(socket, "status", Duration.ofMillis(300)));
      long tookMs = (System.nanoTime() - start) / 1_000_000;

      assertEquals(AgentException.Category.CONTROL_TIMEOUT, e.category());
      assertTrue(e.getMessage().contains("did not answer within 300 ms"), e.getMessage());
      assertTrue(tookMs >= 290 && tookMs < 5_000, "took " + tookMs + " ms");
      assertTrue(ControlClient.occupied(socket));
    }
  }

  @Test
  void shouldReportNoAgentWhenNothingListens() {
    Path socket = dir.resolve("agent.sock");
    AgentException e =
        assertThrows(
            AgentException.class,
            () -> ControlClient.call(socket, "status", Duration.ofSeconds(5)));

    assertEquals(AgentException.Category.CONTROL, e.category());
    assertFalse(ControlClient.occupied(socket));
  }
}
