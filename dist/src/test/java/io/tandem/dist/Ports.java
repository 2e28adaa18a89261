package io.tandem.dist;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.testing.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;

/** The fixed ports of a default configuration, which other builds on the machine may hold. */
final class Ports {
  private Ports() {}

  /** Waits until nothing listens on these loopback ports; skips the test if that never happens. */
  static void awaitFree(Duration timeout, int... ports) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!free(ports)) {
      assumeTrue(
          System.nanoTime() < deadline,
          "ports "
              + Arrays.toString(ports)
              + " of the packaged default configuration stayed in use for "
              + timeout
              + " (another broker on this machine); skipped");
      Await.pause(Duration.ofMillis(500));
    }
  }

  private static boolean free(int... ports) {
    for (int port : ports) {
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }
}
