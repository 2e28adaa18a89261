package io.tandem.broker;

import io.tandem.testing.ChildProcess;
import java.nio.file.Path;
import java.util.List;

/**
 * The command line of a {@code tandem broker} in its own JVM, as {@code bin/tandem broker} starts
 * it but with this build's classes, for process tests.
 */
public final class BrokerJvm {
  private BrokerJvm() {}

  /** {@code java ... TandemCommand broker --config CONFIG} with a fixed heap of {@code heap}. */
  public static List<String> command(Path config, String heap) {
    return ChildProcess.javaCommand(
        List.of(
            "-Xms" + heap,
            "-Xmx" + heap,
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Djava.util.logging.manager=io.tandem.process.log.ShutdownSafeLogManager"),
        ChildProcess.testClassPath(),
        "io.tandem.broker.cli.TandemCommand",
        List.of("broker", "--config", config.toString()));
  }
}
